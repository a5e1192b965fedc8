using System.Net;

namespace IncidentService.Tests.Api;

/// <summary>The probes and the scrape answer GET and HEAD only: TRACE and the rest get 405.</summary>
public sealed class PlumbingEndpointMethodTests : IAsyncLifetime
{
    private static readonly string[] Paths = ["/healthz", "/readyz", "/metrics"];

    private readonly IncidentServiceFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await _factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Trace_post_and_delete_are_405_on_every_probe_and_the_scrape()
    {
        foreach (var path in Paths)
        {
            foreach (var method in new[] { HttpMethod.Trace, HttpMethod.Post, HttpMethod.Delete })
            {
                using var request = new HttpRequestMessage(method, path);
                using var response = await _client.SendAsync(request);

                Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Get_and_head_still_answer_on_every_probe_and_the_scrape()
    {
        foreach (var path in Paths)
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
            {
                using var request = new HttpRequestMessage(method, path);
                using var response = await _client.SendAsync(request);

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode}");
            }
        }
    }
}
