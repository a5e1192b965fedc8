using IncidentService.Simulator;


namespace IncidentService.Tests.Api;

public sealed class ExternalUpstreamTests
{
    [Fact]
    public async Task Pointed_at_an_external_upstream_it_serves_that_upstreams_aggregation_from_memory_within_the_concurrency_bound()
    {
        // Real (scaled) latency so fetches overlap; a frozen clock for the data so both reads see the same window.
        await using var upstream = await UpstreamSimulator.StartAsync(
            new SimulatorOptions { LatencyScale = 0.05, Password = "external-pw-3c9a" },
            new FrozenClock(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)));
        await using var factory = new IncidentServiceFactory(
            frozenTime: false,
            ("Upstream:BaseUrl", upstream.BaseAddress.AbsoluteUri),
            ("Upstream:Username", "elevate"),
            ("Upstream:Password", "external-pw-3c9a"),
            ("Refresh:MaxConcurrency", "3"));
        using var client = await factory.CreateReadyClientAsync();

        var upstreamRequests = upstream.RequestCount;
        var bodies = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            bodies.Add(await client.GetStringAsync("/incidents"));
        }

        Assert.Equal(upstreamRequests, upstream.RequestCount); // answers never reach the upstream
        Assert.InRange(upstream.PeakInFlight, 1, 3);
        var expected = await IndependentAggregation.FromUpstreamAsync(upstream.BaseAddress, "elevate", "external-pw-3c9a");
        Assert.All(bodies, body => Assert.Equal(expected, body));
    }

    /// <summary>Stops the calendar but not the timers, so latency still passes in real time.</summary>
    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
