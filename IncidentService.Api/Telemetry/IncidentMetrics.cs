using System.Diagnostics.Metrics;
using IncidentService.Api.Poller.Refresh;
using IncidentService.Api.Web.Queries;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;

namespace IncidentService.Api.Telemetry;

/// <summary>
/// The service's own instruments, on one Meter. The feed name is the only per-feed tag, so series stay bounded.
/// Gauges read the current snapshot and board when scraped, so they can never disagree with <c>/status</c>.
/// </summary>
public sealed class IncidentMetrics
{
    public const string MeterName = "IncidentService";

    private static readonly double[] UpstreamBuckets = [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 15, 20, 30];

    private readonly Histogram<double> _upstreamDuration;
    private readonly Histogram<double> _cycleDuration;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _identitiesDoubted;

    public IncidentMetrics(IMeterFactory meters, SnapshotStore store, FeedBoard board, UpstreamGate gate, TimeProvider time, SnapshotViews views, RefreshPolicy policy)
    {
        var meter = meters.Create(MeterName);
        _upstreamDuration = meter.CreateHistogram(
            "incidents.upstream.request.duration",
            unit: "s",
            description: "Duration of one upstream fetch of a feed or the identities, retries included, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = UpstreamBuckets });
        _cycleDuration = meter.CreateHistogram(
            "incidents.refresh.duration",
            unit: "s",
            description: "Duration of one refresh cycle, by kind (regular, retry) and outcome (success, partial, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = UpstreamBuckets });
        _responses = meter.CreateCounter<long>(
            "incidents.responses",
            unit: "{response}",
            description: "Answers of the /incidents endpoints by HTTP status (200, 304, 404, 503).");
        _authFailures = meter.CreateCounter<long>(
            "incidents.auth.failures",
            unit: "{request}",
            description: "Requests refused by access control (401, 403), by scheme and reason.");
        _identitiesDoubted = meter.CreateCounter<long>(
            "incidents.identities.doubted",
            unit: "{answer}",
            description: "Identities answers not believed at once, by reason (shrunk: lost entries; churned: mapped trusted addresses to other employees).");

        meter.CreateObservableGauge("incidents.snapshot.age", () => store.Current is { } s ? (time.GetUtcNow() - s.DataAsOf).TotalSeconds : double.NaN, unit: "s", description: "Age of the oldest upstream data in the snapshot being served.");
        meter.CreateObservableGauge("incidents.snapshot.missing_feeds", () => store.Current?.MissingFeeds.Length ?? 0, unit: "{feed}", description: "Feeds that never answered and so are missing from the snapshot being served.");
        meter.CreateObservableGauge("incidents.snapshot.employees", () => store.Current?.Counts.Employees ?? 0, unit: "{employee}", description: "Employees with at least one incident.");
        meter.CreateObservableGauge("incidents.snapshot.incidents", () => store.Current?.Counts.Incidents ?? 0, unit: "{incident}", description: "Incidents attributed to an employee.");
        meter.CreateObservableGauge("incidents.snapshot.unresolved", () => store.Current?.Counts.Unresolved ?? 0, unit: "{incident}", description: "Incidents that could not be attributed.");
        meter.CreateObservableGauge("incidents.snapshot.malformed", ObserveMalformed, unit: "{item}", description: "Upstream items skipped as malformed in the last good answer, by feed.");
        meter.CreateObservableGauge("incidents.feeds.stale", () => board.States.Values.Count(s => s.Stale), unit: "{feed}", description: "Upstream targets whose served data is not from their latest attempt.");
        meter.CreateObservableUpDownCounter("incidents.upstream.in_flight", () => gate.InFlight, unit: "{request}", description: "Upstream requests in flight, all feeds and attempts together.");

        // For dashboards and alert rules: which target is stale and how old its data is, the snapshot by priority, and the
        // bounds to compare with (the interval, the concurrency limit), so that rules need no copy of the configuration.
        meter.CreateObservableGauge("incidents.feed.stale", () => board.States.Values.Select(s => Feed(s.Stale ? 1 : 0, s.Name)), description: "1 when the target's served data is not from its latest attempt, else 0; per feed and identities.");
        meter.CreateObservableGauge("incidents.feed.data_age", ObserveDataAge, unit: "s", description: "Age of the target's served data (since service start for one that never answered), per feed and identities.");
        meter.CreateObservableGauge("incidents.snapshot.incidents_by_priority", ObservePriorities, unit: "{incident}", description: "Incidents attributed to an employee in the snapshot being served, by priority.");
        meter.CreateObservableGauge("incidents.refresh.interval", () => policy.Interval.TotalSeconds, unit: "s", description: "Refresh:Interval, the time between regular refresh cycles.");
        meter.CreateObservableGauge("incidents.refresh.max_data_age", () => policy.MaxDataAge.TotalSeconds, unit: "s", description: "The data age beyond which /readyz fails (Refresh:MaxSnapshotAgeIntervals intervals).");
        meter.CreateObservableGauge("incidents.upstream.in_flight_limit", () => gate.MaxConcurrency, unit: "{request}", description: "Refresh:MaxConcurrency, the bound on upstream requests in flight.");

        IEnumerable<Measurement<double>> ObserveDataAge()
        {
            var now = time.GetUtcNow();
            var startedAt = board.Ledger?.StartedAt ?? now;
            return board.States.Values.Select(s => Feed((now - (s.LastSuccess ?? startedAt)).TotalSeconds, s.Name));
        }

        IEnumerable<Measurement<int>> ObservePriorities() =>
            store.Current is { } snapshot
                ? views.PriorityCounts(snapshot).Select((count, i) => new Measurement<int>(count, new KeyValuePair<string, object?>("priority", Priorities.Name(Priorities.All[i]))))
                : [];

        static Measurement<T> Feed<T>(T value, string feed)
            where T : struct => new(value, new KeyValuePair<string, object?>("feed", feed));

        IEnumerable<Measurement<int>> ObserveMalformed() =>
            board.States.Values.Select(s => new Measurement<int>(s.Malformed.Values.Sum(), new KeyValuePair<string, object?>("feed", s.Name)));
    }

    public void UpstreamFetched(string feed, string outcome, TimeSpan duration) =>
        _upstreamDuration.Record(duration.TotalSeconds, new("feed", feed), new("outcome", outcome));

    public void CycleCompleted(string kind, string outcome, TimeSpan duration) =>
        _cycleDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Tags come from AuthFailure's fixed map, so the series stay bounded whatever a client sends.</summary>
    public void AuthFailed(string scheme, string reason) => _authFailures.Add(1, new("scheme", scheme), new("reason", reason));

    public void IdentitiesDoubted(IdentityDoubt doubt) => _identitiesDoubted.Add(1, new KeyValuePair<string, object?>("reason", IdentityDoubts.Label(doubt)));

    public void Answered(int statusCode) => _responses.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
}
