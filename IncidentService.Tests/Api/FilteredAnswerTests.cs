using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentService.Tests.Api;

/// <summary>Filtered and summary answers served as the whole one is: negotiated, revalidated, cached per snapshot, charged by cost.</summary>
public sealed class FilteredAnswerTests : IAsyncLifetime
{
    private readonly IncidentServiceFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await _factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData("/incidents?priority=high", "gzip")]
    [InlineData("/incidents?priority=high", "br")]
    [InlineData("/incidents/summary?type=misuse", "gzip")]
    [InlineData("/incidents/summary", "br")]
    public async Task A_filtered_or_summary_answer_is_compressed_as_negotiated_and_decodes_to_its_identity_bytes(string path, string coding)
    {
        using var identity = await SendAsync(HttpMethod.Get, path);
        using var compressed = await SendAsync(HttpMethod.Get, path, acceptEncoding: coding);
        var identityBytes = await identity.Content.ReadAsByteArrayAsync();
        var compressedBytes = await compressed.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal([coding], compressed.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        Assert.Contains("Accept-Encoding", identity.Headers.Vary);
        Assert.Equal(compressedBytes.Length, compressed.Content.Headers.ContentLength);
        Assert.True(compressedBytes.Length < identityBytes.Length / 2, $"{coding}: {compressedBytes.Length} of {identityBytes.Length} bytes");
        Assert.Equal(identityBytes, Decode(compressedBytes, coding));
        Assert.NotEqual(identity.Headers.ETag, compressed.Headers.ETag);
    }

    [Theory]
    [InlineData("/incidents?priority=high")]
    [InlineData("/incidents/summary?priority=low")]
    public async Task A_filtered_answer_revalidates_with_the_tag_of_its_coding(string path)
    {
        using var gzip = await SendAsync(HttpMethod.Get, path, acceptEncoding: "gzip");
        var tag = gzip.Headers.ETag!;

        using var revalidated = await SendAsync(HttpMethod.Get, path, acceptEncoding: "gzip", ifNoneMatch: tag);
        using var otherFilter = await SendAsync(HttpMethod.Get, "/incidents?priority=critical", acceptEncoding: "gzip", ifNoneMatch: tag);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(tag, revalidated.Headers.ETag);
        Assert.Contains("Accept-Encoding", revalidated.Headers.Vary);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, otherFilter.StatusCode);
    }

    [Fact]
    public async Task Head_of_a_filtered_answer_has_its_headers_and_no_body()
    {
        using var get = await SendAsync(HttpMethod.Get, "/incidents?priority=high", acceptEncoding: "br");
        using var head = await SendAsync(HttpMethod.Head, "/incidents?priority=high", acceptEncoding: "br");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_same_filter_however_spelled_is_built_once_per_snapshot()
    {
        var served = _factory.Served.Served!;
        var before = served.Filtered.Count;

        var first = await _client.GetByteArrayAsync("/incidents?priority=high,critical");
        var second = await _client.GetByteArrayAsync("/incidents?priority=CRITICAL&priority=high");

        Assert.Equal(first, second);
        Assert.Equal(before + 1, served.Filtered.Count);
    }

    [Fact]
    public async Task Answers_built_on_request_count_in_what_the_snapshot_serves_so_a_shrink_gives_their_memory_back()
    {
        var served = _factory.Served.Served!;
        var before = served.ServedBytes;

        var body = await _client.GetByteArrayAsync("/incidents?type=denial,misuse");

        Assert.True(served.ServedBytes >= before + body.Length, $"{served.ServedBytes} after, {before} before, answer {body.Length} B");
    }

    [Fact]
    public async Task A_filter_not_yet_built_is_charged_to_the_callers_bucket_by_the_snapshots_size()
    {
        // The snapshot is ~370 KB: at 90,000 bytes a permit, a miss costs 1 + 4 permits, a cached answer 1.
        await using var factory = new IncidentServiceFactory(frozenTime: true,
            ("RateLimit:PermitsPerSecond", "0.001"), ("RateLimit:Burst", "10"), ("RateLimit:FilterBytesPerPermit", "90000"));
        await using var addressed = factory.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>()));
        using var client = addressed.CreateClient();
        await factory.WaitForSnapshotAsync();
        var size = factory.Store.Current!.Json.Length;
        Assert.InRange(size, 360_000, 449_999);

        var codes = new List<HttpStatusCode>();
        foreach (var path in new[] { "/incidents?priority=high", "/incidents?priority=high", "/incidents?priority=low", "/incidents", "/incidents" })
        {
            using var response = await client.SendAsync(ClientAddressFromHeader.Request(path, "192.0.2.10"));
            codes.Add(response.StatusCode);
        }

        using var other = await client.SendAsync(ClientAddressFromHeader.Request("/incidents?priority=low", "192.0.2.20"));

        // 5 + 1 = 6 of 10; the second miss takes its 1, then needs 4 of the 3 left: refused, charged no more; then 1 + 1.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK], codes);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? acceptEncoding = null, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (acceptEncoding is not null)
        {
            request.Headers.Add("Accept-Encoding", acceptEncoding);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        return await _client.SendAsync(request);
    }

    private static byte[] Decode(byte[] body, string coding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
