using System.Diagnostics.Metrics;
using System.Text.Json;
using IncidentService.Api.Telemetry;
using IncidentService.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentService.Tests.Faults;

/// <summary>
/// The per-feed and per-priority series dashboards and alert rules use. Read through this host's own meter: a scrape
/// would also carry the meters of the hosts other tests run at the same time. (scripts/check-dashboard.sh reads them
/// by their Prometheus names from a real scrape.)
/// </summary>
public sealed class DashboardMetricsTests
{
    [Fact]
    public async Task A_failing_feed_is_stale_by_name_and_its_data_ages_while_the_others_stay_fresh()
    {
        await using var harness = new FaultHarness(settings: [("Upstream:MaxRetries", "0")]);
        await harness.StartAsync();
        harness.Simulator.Faults.Set("probing", new SimulatorFault(SimulatorFaultKind.ServerError));

        await harness.NextCycleAsync();
        await harness.NextCycleAsync();

        var stale = ByTag<int>(harness, "incidents.feed.stale", "feed");
        Assert.Equal(1, stale["probing"]);
        Assert.All(stale.Where(s => s.Key != "probing"), s => Assert.Equal(0, s.Value));
        Assert.Equal(8, stale.Count); // seven feeds and the identities
        var age = ByTag<double>(harness, "incidents.feed.data_age", "feed");
        Assert.Equal(2 * harness.Interval.TotalSeconds, age["probing"]);
        Assert.Equal(0, age["denial"]);
        Assert.Equal(0, age["identities"]);
        Assert.Equal(harness.Interval.TotalSeconds, Single<double>(harness, "incidents.refresh.interval"));
        Assert.Equal(3 * harness.Interval.TotalSeconds, Single<double>(harness, "incidents.refresh.max_data_age"));
        Assert.Equal(FaultHarness.MaxConcurrency, Single<int>(harness, "incidents.upstream.in_flight_limit"));
        Assert.Equal(1, Single<int>(harness, "incidents.feeds.stale"));
    }

    [Fact]
    public async Task Incidents_by_priority_add_up_to_the_snapshot_and_match_the_summary()
    {
        await using var harness = new FaultHarness();
        await harness.StartAsync();

        using var summary = JsonDocument.Parse(await harness.Client.GetStringAsync(new Uri("/incidents/summary", UriKind.Relative)));

        var byPriority = ByTag<int>(harness, "incidents.snapshot.incidents_by_priority", "priority");
        Assert.Equal(["critical", "high", "low", "medium"], byPriority.Keys.Order());
        Assert.Equal(Single<int>(harness, "incidents.snapshot.incidents"), byPriority.Values.Sum());
        foreach (var (priority, count) in byPriority)
        {
            Assert.Equal(summary.RootElement.GetProperty("priorities").GetProperty(priority).GetInt32(), count);
        }

        Assert.All(byPriority.Values, count => Assert.True(count > 0));
    }

    private static T Single<T>(FaultHarness harness, string instrument)
        where T : struct => Assert.Single(Observe<T>(harness, instrument)).Value;

    private static Dictionary<string, T> ByTag<T>(FaultHarness harness, string instrument, string tag)
        where T : struct => Observe<T>(harness, instrument).ToDictionary(m => (string)m.Tags[tag]!, m => m.Value);

    private static IReadOnlyList<CollectedMeasurement<T>> Observe<T>(FaultHarness harness, string instrument)
        where T : struct
    {
        using var collector = new MetricCollector<T>(harness.Services.GetRequiredService<IMeterFactory>(), IncidentMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot();
    }
}
