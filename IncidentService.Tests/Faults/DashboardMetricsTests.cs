using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentService.Simulator;

namespace IncidentService.Tests.Faults;

/// <summary>The per-feed and per-priority series dashboards and alert rules use, read from a real scrape.</summary>
public sealed partial class DashboardMetricsTests
{
    [Fact]
    public async Task A_failing_feed_is_stale_by_name_and_its_data_ages_while_the_others_stay_fresh()
    {
        await using var harness = new FaultHarness(settings: [("Upstream:MaxRetries", "0")]);
        await harness.StartAsync();
        harness.Simulator.Faults.Set("probing", new SimulatorFault(SimulatorFaultKind.ServerError));

        await harness.NextCycleAsync();
        await harness.NextCycleAsync();

        var scrape = await harness.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var stale = Series(scrape, "incidents_feed_stale", "feed");
        Assert.Equal(1, stale["probing"]);
        Assert.All(stale.Where(s => s.Key != "probing"), s => Assert.Equal(0, s.Value));
        Assert.Equal(8, stale.Count); // seven feeds and the identities
        var age = Series(scrape, "incidents_feed_data_age_seconds", "feed");
        Assert.Equal(2 * harness.Interval.TotalSeconds, age["probing"]);
        Assert.Equal(0, age["denial"]);
        Assert.Equal(0, age["identities"]);
        Assert.Equal(harness.Interval.TotalSeconds, Single(scrape, "incidents_refresh_interval_seconds"));
        Assert.Equal(3 * harness.Interval.TotalSeconds, Single(scrape, "incidents_refresh_max_data_age_seconds"));
        Assert.Equal(FaultHarness.MaxConcurrency, Single(scrape, "incidents_upstream_in_flight_limit"));
        Assert.Equal(1, Single(scrape, "incidents_feeds_stale"));
    }

    [Fact]
    public async Task Incidents_by_priority_add_up_to_the_snapshot_and_match_the_summary()
    {
        await using var harness = new FaultHarness();
        await harness.StartAsync();

        var scrape = await harness.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        using var summary = JsonDocument.Parse(await harness.Client.GetStringAsync(new Uri("/incidents/summary", UriKind.Relative)));

        var byPriority = Series(scrape, "incidents_snapshot_incidents_by_priority", "priority");
        Assert.Equal(["critical", "high", "low", "medium"], byPriority.Keys.Order());
        Assert.Equal(Single(scrape, "incidents_snapshot_incidents"), byPriority.Values.Sum());
        foreach (var (priority, count) in byPriority)
        {
            Assert.Equal(summary.RootElement.GetProperty("priorities").GetProperty(priority).GetInt32(), count);
        }

        Assert.All(byPriority.Values, count => Assert.True(count > 0));
    }

    private static double Single(string scrape, string name) => Assert.Single(Samples(scrape, name)).Value;

    private static Dictionary<string, double> Series(string scrape, string name, string label) =>
        Samples(scrape, name).ToDictionary(s => Regex.Match(s.Labels, $"{label}=\"([^\"]*)\"").Groups[1].Value, s => s.Value);

    private static List<(string Labels, double Value)> Samples(string scrape, string name) =>
        [.. scrape.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name)
            .Select(m => (m.Groups["labels"].Value, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))];

    [GeneratedRegex("^(?<name>[a-z_]+)(?:\\{(?<labels>[^}]*)\\})? (?<value>\\S+)")]
    private static partial Regex Sample();
}
