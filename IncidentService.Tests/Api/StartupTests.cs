using System.Net;
using IncidentService.Simulator;

namespace IncidentService.Tests.Api;

public sealed class StartupTests
{
    [Fact]
    public async Task Before_the_first_snapshot_requests_get_503_with_retry_after_not_an_empty_200()
    {
        await using var factory = new IncidentServiceFactory(
            frozenTime: false,
            ("Simulator:Faults:identities", nameof(SimulatorFaultKind.Hang)),
            ("Refresh:FirstSnapshotWait", "00:00:00.05"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Outside_development_an_unset_upstream_stops_startup_naming_the_key()
    {
        await using var factory = new IncidentServiceFactory { Environment = "Production" };

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Upstream:BaseUrl", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Refresh:MaxConcurrency", "0", "Refresh:MaxConcurrency")]
    [InlineData("Refresh:Interval", "00:00:10", "Refresh:Interval")]
    [InlineData("Upstream:BaseUrl", "http://upstream.test/", "Upstream:Username")]
    [InlineData("Upstream:AttemptTimeout", "00:00:30", "Upstream:TotalTimeout")]
    public async Task Invalid_configuration_stops_startup_naming_the_key(string key, string value, string named)
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, (key, value));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }
}
