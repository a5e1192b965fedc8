using System.Diagnostics.Metrics;
using IncidentService.Api.Snapshots;
using IncidentService.Core;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;

namespace IncidentService.Api.Telemetry;

/// <summary>
/// The gauges, on the service's one Meter: read from the snapshot store and the feed status when scraped, so they can
/// never disagree with <c>/status</c>. Created once at start, so the series exist before the first scrape.
/// </summary>
public sealed class ServiceGauges
{
    public ServiceGauges(IMeterFactory meters, SnapshotStore store, IFeedStatus feeds, UpstreamGate gate, RefreshPolicy policy, IPriorityCounts priorities, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(IncidentMetrics.MeterName);
        meter.CreateObservableGauge("incidents.snapshot.age", () => store.Current is { } s ? (time.GetUtcNow() - s.DataAsOf).TotalSeconds : double.NaN, unit: "s", description: "Age of the oldest upstream data in the snapshot being served.");
        meter.CreateObservableGauge("incidents.snapshot.missing_feeds", () => store.Current?.MissingFeeds.Length ?? 0, unit: "{feed}", description: "Feeds that never answered and so are missing from the snapshot being served.");
        meter.CreateObservableGauge("incidents.snapshot.employees", () => store.Current?.Counts.Employees ?? 0, unit: "{employee}", description: "Employees with at least one incident.");
        meter.CreateObservableGauge("incidents.snapshot.incidents", () => store.Current?.Counts.Incidents ?? 0, unit: "{incident}", description: "Incidents attributed to an employee.");
        meter.CreateObservableGauge("incidents.snapshot.unresolved", () => store.Current?.Counts.Unresolved ?? 0, unit: "{incident}", description: "Incidents that could not be attributed.");
        meter.CreateObservableGauge("incidents.snapshot.malformed", ObserveMalformed, unit: "{item}", description: "Upstream items skipped as malformed in the last good answer, by feed.");
        meter.CreateObservableGauge("incidents.feeds.stale", () => feeds.States.Values.Count(s => s.Stale), unit: "{feed}", description: "Upstream targets whose served data is not from their latest attempt.");
        meter.CreateObservableUpDownCounter("incidents.upstream.in_flight", () => gate.InFlight, unit: "{request}", description: "Upstream requests in flight, all feeds and attempts together.");

        // For dashboards and alert rules: which target is stale and how old its data is, the snapshot by priority, and the
        // bounds to compare with (the interval, the concurrency limit), so that rules need no copy of the configuration.
        meter.CreateObservableGauge("incidents.feed.stale", () => feeds.States.Values.Select(s => Feed(s.Stale ? 1 : 0, s.Name)), description: "1 when the target's served data is not from its latest attempt, else 0; per feed and identities.");
        meter.CreateObservableGauge("incidents.feed.data_age", ObserveDataAge, unit: "s", description: "Age of the target's served data (since service start for one that never answered), per feed and identities.");
        meter.CreateObservableGauge("incidents.snapshot.incidents_by_priority", ObservePriorities, unit: "{incident}", description: "Incidents attributed to an employee in the snapshot being served, by priority.");
        meter.CreateObservableGauge("incidents.refresh.interval", () => policy.Interval.TotalSeconds, unit: "s", description: "Refresh:Interval, the time between regular refresh cycles.");
        meter.CreateObservableGauge("incidents.refresh.max_data_age", () => policy.MaxDataAge.TotalSeconds, unit: "s", description: "The data age beyond which /readyz fails (Refresh:MaxSnapshotAgeIntervals intervals).");
        meter.CreateObservableGauge("incidents.upstream.in_flight_limit", () => gate.MaxConcurrency, unit: "{request}", description: "Refresh:MaxConcurrency, the bound on upstream requests in flight.");

        IEnumerable<Measurement<double>> ObserveDataAge()
        {
            var now = time.GetUtcNow();
            var startedAt = feeds.Ledger?.StartedAt ?? now;
            return feeds.States.Values.Select(s => Feed((now - (s.LastSuccess ?? startedAt)).TotalSeconds, s.Name));
        }

        IEnumerable<Measurement<int>> ObservePriorities() =>
            store.Current is { } snapshot
                ? priorities.PriorityCounts(snapshot).Select((count, i) => new Measurement<int>(count, new KeyValuePair<string, object?>("priority", Priorities.Name(Priorities.All[i]))))
                : [];

        static Measurement<T> Feed<T>(T value, string feed)
            where T : struct => new(value, new KeyValuePair<string, object?>("feed", feed));

        IEnumerable<Measurement<int>> ObserveMalformed() =>
            feeds.States.Values.Select(s => new Measurement<int>(s.Malformed.Values.Sum(), new KeyValuePair<string, object?>("feed", s.Name)));
    }
}
