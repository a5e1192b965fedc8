using System.Net;
using IncidentService.Tests.Api;

namespace IncidentService.Tests.Access;

/// <summary>A dashboard on an allowed origin reads every header a server-side client reads; a shared cache keeps origins apart.</summary>
public sealed class CorsExposureTests
{
    private const string Dashboard = "https://dashboard.example";

    [Fact]
    public async Task An_allowed_origin_may_read_missing_feeds_and_the_caching_headers_and_the_answer_varies_by_origin()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true,
            [.. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"), ("Cors:AllowedOrigins:0", Dashboard)]);
        using var client = await factory.CreateReadyClientAsync();

        using var answer = await client.SendAsync(FromOrigin("/incidents", Dashboard));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(Dashboard, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var exposed = ExposedHeaders(answer);
        foreach (var header in new[] { "missing-feeds", "etag", "last-modified", "retry-after", "www-authenticate" })
        {
            Assert.Contains(header, exposed);
        }

        Assert.Contains("Origin", answer.Headers.Vary);
    }

    [Fact]
    public async Task An_answer_to_a_foreign_origin_or_no_origin_varies_by_origin_too()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true,
            [.. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"), ("Cors:AllowedOrigins:0", Dashboard)]);
        using var client = await factory.CreateReadyClientAsync();

        using var foreign = await client.SendAsync(FromOrigin("/incidents", "https://evil.example"));
        using var none = await client.SendAsync(ApiKeys.Get("/incidents", apiKey: ApiKeys.Dashboard));

        // A shared cache that stored either could otherwise hand it to the dashboard without its CORS headers.
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Contains("Origin", foreign.Headers.Vary);
        Assert.Contains("Origin", none.Headers.Vary);
        Assert.Single(none.Headers.Vary, v => v == "Origin");
    }

    [Fact]
    public async Task Without_allowed_origins_no_answer_varies_by_origin()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"));
        using var client = await factory.CreateReadyClientAsync();

        using var answer = await client.SendAsync(FromOrigin("/incidents", Dashboard));

        Assert.DoesNotContain("Origin", answer.Headers.Vary);
        Assert.False(answer.Headers.Contains("Access-Control-Expose-Headers"));
    }

    private static HttpRequestMessage FromOrigin(string path, string origin)
    {
        var request = ApiKeys.Get(path, apiKey: ApiKeys.Dashboard);
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static HashSet<string> ExposedHeaders(HttpResponseMessage answer) =>
        [.. answer.Headers.GetValues("Access-Control-Expose-Headers")
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(v => v.ToLowerInvariant())];
}
