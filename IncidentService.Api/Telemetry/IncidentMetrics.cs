using System.Diagnostics.Metrics;
using IncidentService.Api.Snapshots;
using IncidentService.Core.Identities;

namespace IncidentService.Api.Telemetry;

/// <summary>
/// The service's own counters and histograms, on one Meter: what happened, as the refresher (through
/// <c>IRefreshObserver</c>) and the web side report it. The feed name is the only per-feed tag, so series stay bounded. The gauges are <see cref="ServiceGauges"/>.
/// </summary>
public sealed class IncidentMetrics
{
    public const string MeterName = "IncidentService";

    private static readonly double[] DurationBuckets = [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 15, 20, 30];

    private readonly Histogram<double> _upstreamDuration;
    private readonly Histogram<double> _cycleDuration;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _identitiesDoubted;

    public IncidentMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _upstreamDuration = meter.CreateHistogram(
            "incidents.upstream.request.duration",
            unit: "s",
            description: "Duration of one upstream fetch of a feed or the identities, retries included, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _cycleDuration = meter.CreateHistogram(
            "incidents.refresh.duration",
            unit: "s",
            description: "Duration of one refresh cycle, by kind (regular, retry) and outcome (success, partial, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
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
    }

    public void Fetched(string target, string outcome, TimeSpan duration) =>
        _upstreamDuration.Record(duration.TotalSeconds, new("feed", target), new("outcome", outcome));

    public void CycleCompleted(RefreshCycleKind kind, string outcome, TimeSpan duration) =>
        _cycleDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", RefreshCycleKinds.Label(kind)), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Tags come from AuthFailure's fixed map, so the series stay bounded whatever a client sends.</summary>
    public void AuthFailed(string scheme, string reason) => _authFailures.Add(1, new("scheme", scheme), new("reason", reason));

    public void IdentitiesDoubted(IdentityDoubt doubt) => _identitiesDoubted.Add(1, new KeyValuePair<string, object?>("reason", IdentityDoubts.Label(doubt)));

    public void Answered(int statusCode) => _responses.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
}
