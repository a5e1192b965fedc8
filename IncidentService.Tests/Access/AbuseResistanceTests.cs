using System.Net;
using IncidentService.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentService.Tests.Access;

public sealed class AbuseResistanceTests
{
    [Fact]
    public async Task One_key_far_over_its_rate_gets_429_with_retry_after_while_another_principal_is_served()
    {
        // A bucket of 2 that refills one token per 1000 s: counts, not timing, decide the outcome.
        await using var factory = new IncidentServiceFactory(frozenTime: true,
        [
            .. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"),
            .. ApiKeys.Settings("scraper", ApiKeys.Scraper, "incidents:read"),
            ("RateLimit:PermitsPerSecond", "0.001"),
            ("RateLimit:Burst", "2"),
        ]);
        using var client = factory.CreateClient();

        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10; i++)
        {
            var response = await client.SendAsync(ApiKeys.Get("/status", apiKey: ApiKeys.Dashboard));
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && limited is null)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        using var other = await client.SendAsync(ApiKeys.Get("/status", apiKey: ApiKeys.Scraper));
        using var probe = await client.GetAsync("/healthz");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 8)], codes);
        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {limited.Headers.RetryAfter}");
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    [Fact]
    public async Task Anonymous_clients_are_limited_by_address_one_at_a_time()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("RateLimit:PermitsPerSecond", "0.001"), ("RateLimit:Burst", "2"));
        // The in-process host has no peer address; this gives each request the one its test header names.
        await using var addressed = factory.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>()));
        using var client = addressed.CreateClient();

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.SendAsync(ClientAddressFromHeader.Request("/status", "192.0.2.10"));
            first.Add(response.StatusCode);
        }

        using var second = await client.SendAsync(ClientAddressFromHeader.Request("/status", "192.0.2.20"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Cors_answers_a_preflight_from_an_allowed_origin_with_the_credential_headers_and_ignores_others()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true,
            [.. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"), ("Cors:AllowedOrigins:0", "https://dashboard.example")]);
        using var client = factory.CreateClient();

        using var allowed = await client.SendAsync(Preflight("https://dashboard.example"));
        using var foreign = await client.SendAsync(Preflight("https://evil.example"));
        using var actual = ApiKeys.Get("/status", apiKey: ApiKeys.Dashboard);
        actual.Headers.Add("Origin", "https://dashboard.example");
        using var answer = await client.SendAsync(actual);

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://dashboard.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var headers = string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")).ToUpperInvariant();
        Assert.Contains("X-API-KEY", headers, StringComparison.Ordinal);
        Assert.Contains("AUTHORIZATION", headers, StringComparison.Ordinal);
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("https://dashboard.example", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/incidents");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "x-api-key");
        return request;
    }
}
