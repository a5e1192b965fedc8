using System.Net;
using IncidentService.Tests.Api;

namespace IncidentService.Tests.Access;

/// <summary>Access control's headers hold for every coding: private caching and Vary by credentials as well as by coding.</summary>
public sealed class CompressedAccessTests : IAsyncLifetime
{
    // An API key is enough to turn authentication on; no token issuer needed here.
    private readonly IncidentServiceFactory _factory = new(frozenTime: true, ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"));
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await _factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task A_compressed_answer_and_its_304_vary_by_credentials_and_coding_and_stay_private(string coding)
    {
        using var first = await SendAsync(coding, ifNoneMatch: null);
        using var again = await SendAsync(coding, ifNoneMatch: first.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal([coding], first.Content.Headers.ContentEncoding);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        foreach (var response in new[] { first, again })
        {
            Assert.Contains("Authorization", response.Headers.Vary);
            Assert.Contains("X-Api-Key", response.Headers.Vary);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.True(response.Headers.CacheControl is { Private: true, NoCache: true }, $"Cache-Control: {response.Headers.CacheControl}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task Head_needs_credentials_like_get()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/incidents");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string coding, string? ifNoneMatch)
    {
        using var request = ApiKeys.Get("/incidents", apiKey: ApiKeys.Dashboard);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await _client.SendAsync(request);
    }
}
