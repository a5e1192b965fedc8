using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using IncidentService.Api.Web.Serving;

namespace IncidentService.Tests.Api;

/// <summary>The precompressed representations over HTTP: which one is sent, its headers, 304 and HEAD.</summary>
public sealed class ContentNegotiationTests : IAsyncLifetime
{
    // Fewer employees than the default, so that some answers of one employee are over the compression size and some under.
    private readonly IncidentServiceFactory _factory = new(frozenTime: true, ("Simulator:Employees", "200"));
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await _factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    public static TheoryData<string, string> PathsAndCodings() => new()
    {
        { "/incidents", "gzip" }, { "/incidents", "br" },
        { "/incidents/unresolved", "gzip" }, { "/incidents/unresolved", "br" },
        { "large-employee", "gzip" }, { "large-employee", "br" },
    };

    [Theory]
    [MemberData(nameof(PathsAndCodings))]
    public async Task A_compressed_answer_decodes_to_the_identity_bytes(string path, string coding)
    {
        path = Resolve(path);
        using var identity = await SendAsync(HttpMethod.Get, path);
        using var compressed = await SendAsync(HttpMethod.Get, path, acceptEncoding: coding);
        var identityBytes = await identity.Content.ReadAsByteArrayAsync();
        var compressedBytes = await compressed.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal([coding], compressed.Content.Headers.ContentEncoding);
        Assert.Empty(identity.Content.Headers.ContentEncoding);
        Assert.Equal("application/json", compressed.Content.Headers.ContentType!.MediaType);
        Assert.Equal(compressedBytes.Length, compressed.Content.Headers.ContentLength);
        Assert.True(compressedBytes.Length < identityBytes.Length / 2, $"{coding}: {compressedBytes.Length} of {identityBytes.Length} bytes");
        Assert.Equal(identityBytes, Decode(compressedBytes, coding));
    }

    [Theory]
    [InlineData("/incidents")]
    [InlineData("/incidents/unresolved")]
    [InlineData("large-employee")]
    public async Task Each_coding_has_its_own_strong_tag_and_every_answer_varies_by_accept_encoding(string path)
    {
        path = Resolve(path);
        var tags = new List<EntityTagHeaderValue>();
        foreach (var coding in new[] { null, "gzip", "br" })
        {
            using var response = await SendAsync(HttpMethod.Get, path, acceptEncoding: coding);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.True(response.Headers.CacheControl is { Private: true, NoCache: true });
            Assert.NotNull(response.Content.Headers.LastModified);
            tags.Add(response.Headers.ETag!);
        }

        Assert.All(tags, tag => Assert.False(tag.IsWeak));
        Assert.Equal(3, tags.Select(t => t.Tag).Distinct().Count());
        Assert.Equal([$"{tags[0].Tag[..^1]}-gzip\"", $"{tags[0].Tag[..^1]}-br\""], tags.Skip(1).Select(t => t.Tag));
    }

    public static TheoryData<string?, string?> CodingPairs()
    {
        var pairs = new TheoryData<string?, string?>();
        foreach (var held in new[] { null, "gzip", "br" })
        {
            foreach (var asked in new[] { null, "gzip", "br" })
            {
                pairs.Add(held, asked);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(CodingPairs))]
    public async Task Any_tag_of_the_content_revalidates_to_304_whatever_the_coding_asked(string? held, string? asked)
    {
        using var first = await SendAsync(HttpMethod.Get, "/incidents", acceptEncoding: held);
        var tag = first.Headers.ETag!;

        using var again = await SendAsync(HttpMethod.Get, "/incidents", acceptEncoding: asked, ifNoneMatch: tag.Tag);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, again.Headers.ETag); // names the copy the client holds
        Assert.Contains("Accept-Encoding", again.Headers.Vary);
        Assert.True(again.Headers.CacheControl is { Private: true, NoCache: true });
    }

    [Fact]
    public async Task A_cache_listing_several_variants_gets_304_naming_the_one_it_would_be_sent()
    {
        using var gzip = await SendAsync(HttpMethod.Get, "/incidents", acceptEncoding: "gzip");
        using var identity = await SendAsync(HttpMethod.Get, "/incidents");

        using var again = await SendAsync(HttpMethod.Get, "/incidents", acceptEncoding: "gzip", ifNoneMatch: $"{identity.Headers.ETag!.Tag}, {gzip.Headers.ETag!.Tag}");

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(gzip.Headers.ETag, again.Headers.ETag);
    }

    [Theory]
    [InlineData("\"0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"0123456789abcdef0123456789abcdef-br\"")]
    public async Task Another_content_s_tag_gets_the_whole_answer(string stale)
    {
        using var response = await SendAsync(HttpMethod.Get, "/incidents", acceptEncoding: "br", ifNoneMatch: stale);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task An_unchanged_date_revalidates_to_304_without_a_tag()
    {
        using var first = await SendAsync(HttpMethod.Get, "/incidents/unresolved", acceptEncoding: "gzip");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/incidents/unresolved");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        request.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        using var again = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
    }

    [Theory]
    [InlineData("/incidents", null)]
    [InlineData("/incidents", "gzip")]
    [InlineData("/incidents", "br")]
    [InlineData("/incidents/unresolved", "br")]
    [InlineData("large-employee", "gzip")]
    [InlineData("small-employee", null)]
    public async Task Head_answers_the_headers_of_get_without_the_body(string path, string? coding)
    {
        path = Resolve(path);
        using var get = await SendAsync(HttpMethod.Get, path, acceptEncoding: coding);
        using var head = await SendAsync(HttpMethod.Head, path, acceptEncoding: coding);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentEncoding, head.Content.Headers.ContentEncoding);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Contains("Accept-Encoding", head.Headers.Vary);
    }

    [Fact]
    public async Task Head_revalidates_to_304_too()
    {
        using var get = await SendAsync(HttpMethod.Get, "/incidents", acceptEncoding: "br");

        using var head = await SendAsync(HttpMethod.Head, "/incidents", acceptEncoding: "br", ifNoneMatch: get.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.NotModified, head.StatusCode);
    }

    [Theory]
    [InlineData("/incidents", "identity;q=0")]
    [InlineData("/incidents/unresolved", "*;q=0")]
    [InlineData("small-employee", "gzip, br, identity;q=0")] // a small answer is stored as identity only
    public async Task No_acceptable_coding_is_406_problem(string path, string acceptEncoding)
    {
        using var response = await SendAsync(HttpMethod.Get, Resolve(path), acceptEncoding: acceptEncoding);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task A_small_answer_stays_identity_whatever_is_asked(string coding)
    {
        var path = Resolve("small-employee");
        using var response = await SendAsync(HttpMethod.Get, path, acceptEncoding: coding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < SnapshotCompression.Default.MinBytes);
    }

    [Theory]
    [InlineData("/incidents/abc")]
    [InlineData("not-an-employee")]
    public async Task Problem_answers_of_these_routes_vary_by_accept_encoding_too(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, Resolve(path), acceptEncoding: "gzip");

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
    }

    /// <summary>Stands in for employees picked from the served snapshot: the largest slice, one under the compression size, one absent.</summary>
    private string Resolve(string path)
    {
        var employees = _factory.Store.Current!.Employees;
        return path switch
        {
            "large-employee" => $"/incidents/{employees.MaxBy(e => Length(e.Value)).Key}",
            "small-employee" => $"/incidents/{employees.First(e => Length(e.Value) < SnapshotCompression.Default.MinBytes).Key}",
            "not-an-employee" => $"/incidents/{employees.Keys.Max() + 1}",
            _ => path,
        };

        int Length(Range range) => range.GetOffsetAndLength(int.MaxValue).Length;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? acceptEncoding = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
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
