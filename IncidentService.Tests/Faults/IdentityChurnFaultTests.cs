using System.Diagnostics.Metrics;
using IncidentService.Api.Telemetry;
using IncidentService.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentService.Tests.Faults;

/// <summary>An identities answer that suddenly maps every address to another employee moves no incident, and says so.</summary>
public sealed class IdentityChurnFaultTests
{
    [Fact]
    public async Task Churned_identities_keep_the_trusted_attribution_are_counted_and_named_in_status()
    {
        await using var harness = new FaultHarness(settings: ("Refresh:IdentityRetention", "01:00:00"));
        await harness.StartAsync();
        using var doubted = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), IncidentMetrics.MeterName, "incidents.identities.doubted");
        var before = await harness.IncidentsAsync();

        harness.Simulator.Faults.Set("identities", new SimulatorFault(SimulatorFaultKind.IdentitiesChurned));
        await harness.NextCycleAsync();

        var identities = FaultHarness.Feed(await harness.StatusAsync(), "identities");
        Assert.Equal(before, await harness.IncidentsAsync());
        Assert.Contains("to other employees; keeping", identities.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.False(identities.GetProperty("stale").GetBoolean());
        var counted = Assert.Single(doubted.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal("churned", counted.Tags["reason"]);
    }
}
