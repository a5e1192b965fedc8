using System.Net;
using IncidentService.Tests.Api;

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
}
