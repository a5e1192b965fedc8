using System.Net;
using IncidentService.Tests.Api;

namespace IncidentService.Tests.Access;

public sealed class AccessConfigurationTests
{
    [Fact]
    public async Task A_key_removed_from_the_configuration_is_401_after_a_restart()
    {
        HttpStatusCode before;
        await using (var first = new IncidentServiceFactory(frozenTime: true,
            [.. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"), .. ApiKeys.Settings("scraper", ApiKeys.Scraper, "incidents:read")]))
        {
            using var client = first.CreateClient();
            using var response = await client.SendAsync(ApiKeys.Get("/status", apiKey: ApiKeys.Dashboard));
            before = response.StatusCode;
        }

        await using var restarted = new IncidentServiceFactory(frozenTime: true, ApiKeys.Settings("scraper", ApiKeys.Scraper, "incidents:read"));
        using var again = restarted.CreateClient();
        using var revoked = await again.SendAsync(ApiKeys.Get("/status", apiKey: ApiKeys.Dashboard));
        using var kept = await again.SendAsync(ApiKeys.Get("/status", apiKey: ApiKeys.Scraper));

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task Production_without_an_authentication_choice_refuses_to_start_naming_Auth()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ExternalUpstream) { Environment = "Production" };

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Auth: no authentication method is configured", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_with_AllowAnonymous_starts_and_serves_without_credentials()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, [.. ExternalUpstream, ("Auth:AllowAnonymous", "true")]) { Environment = "Production" };
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Production_with_an_api_key_starts_and_requires_it()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true,
            [.. ExternalUpstream, .. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read")]) { Environment = "Production" };
        using var client = factory.CreateClient();

        using var anonymous = await client.GetAsync("/status");
        using var keyed = await client.SendAsync(ApiKeys.Get("/status", apiKey: ApiKeys.Dashboard));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
    }

    [Fact]
    public async Task ProtectMetrics_requires_the_metrics_read_scope()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true,
        [
            .. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"),
            .. ApiKeys.Settings("prometheus", ApiKeys.Scraper, "metrics:read"),
            ("Auth:ProtectMetrics", "true"),
        ]);
        using var client = factory.CreateClient();

        using var anonymous = await client.GetAsync("/metrics");
        using var dashboard = await client.SendAsync(ApiKeys.Get("/metrics", apiKey: ApiKeys.Dashboard));
        using var scraper = await client.SendAsync(ApiKeys.Get("/metrics", apiKey: ApiKeys.Scraper));
        using var scraperOnData = await client.SendAsync(ApiKeys.Get("/incidents", apiKey: ApiKeys.Scraper));
        using var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scraper.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, scraperOnData.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("Auth:ApiKeys:ci:Sha256", "the-key-itself", "Auth:ApiKeys:ci:Sha256:")]
    [InlineData("Auth:Jwt:Authority", "https://issuer.example", "Auth:Jwt:Audience:")]
    [InlineData("Auth:Jwt:Audience", "incident-service", "Auth:Jwt:Authority:")]
    [InlineData("Auth:ProtectMetrics", "true", "Auth:ProtectMetrics:")]
    [InlineData("RateLimit:Burst", "0", "RateLimit:Burst:")]
    [InlineData("RateLimit:PermitsPerSecond", "0", "RateLimit:PermitsPerSecond:")]
    [InlineData("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins:")]
    public async Task Invalid_access_configuration_stops_startup_naming_the_key(string key, string value, string named)
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, (key, value));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_authority_needs_RequireHttpsMetadata_false_said_explicitly()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true,
            ("Auth:Jwt:Authority", "http://127.0.0.1:1"), ("Auth:Jwt:Audience", "incident-service"));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Auth:Jwt:RequireHttpsMetadata:", failure.ToString(), StringComparison.Ordinal);
    }

    // Production needs a real upstream address; nothing listens there, and nothing here needs its data.
    private static readonly (string Key, string Value)[] ExternalUpstream =
    [
        ("Upstream:BaseUrl", "http://127.0.0.1:9/"),
        ("Upstream:Username", "u"),
        ("Upstream:Password", "p"),
    ];
}
