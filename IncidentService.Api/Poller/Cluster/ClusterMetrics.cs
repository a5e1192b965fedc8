using System.Diagnostics.Metrics;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Telemetry;
using IncidentService.Core.Records;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>The cluster's instruments, on the service's one Meter (the factory hands back the same Meter for the same name).</summary>
internal sealed class ClusterMetrics
{
    private readonly Counter<long> _acquisitions;
    private readonly Counter<long> _losses;
    private readonly Counter<long> _publishes;
    private readonly Counter<long> _redisErrors;
    private readonly Counter<long> _installs;
    private readonly Counter<long> _rejections;

    public ClusterMetrics(IMeterFactory meters, ClusterBoard board)
    {
        var meter = meters.Create(IncidentMetrics.MeterName);
        _acquisitions = meter.CreateCounter<long>("incidents.cluster.lease.acquisitions", unit: "{lease}", description: "Times this replica took the poller lease.");
        _losses = meter.CreateCounter<long>("incidents.cluster.lease.losses", unit: "{lease}", description: "Times this replica stopped being the poller, by reason (expired, taken, refused, stopping).");
        _publishes = meter.CreateCounter<long>("incidents.cluster.publishes", unit: "{record}", description: "Records handed on by the poller, by outcome (published, refused, failed).");
        _redisErrors = meter.CreateCounter<long>("incidents.cluster.redis.errors", unit: "{error}", description: "Failed Redis operations, by operation.");
        _installs = meter.CreateCounter<long>("incidents.cluster.records.installed", unit: "{record}", description: "Records taken over from elsewhere, by source (redis, file).");
        _rejections = meter.CreateCounter<long>("incidents.cluster.records.rejected", unit: "{record}", description: "Stored records refused (never served), once per record, by source (redis, file) and reason (foreign, seal-kind, seal, unreadable, implausible).");
        meter.CreateObservableGauge(
            "incidents.cluster.role",
            () => ClusterLabels.Roles.Select(role => new Measurement<int>(board.View.Role == role.Key ? 1 : 0, new KeyValuePair<string, object?>("role", role.Value))),
            unit: "{role}",
            description: "1 for this replica's current role (single, leader, follower), 0 for the others.");
        meter.CreateObservableGauge(
            "incidents.cluster.redis.reachable",
            () => board.View.RedisReachable is { } reachable ? [new Measurement<int>(reachable ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            unit: "{bool}",
            description: "Whether the last Redis operation succeeded (absent without Redis).");
    }

    public void LeaseAcquired() => _acquisitions.Add(1);

    public void LeaseLost(string reason) => _losses.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Persisted(PersistOutcome outcome) => _publishes.Add(1, new KeyValuePair<string, object?>("outcome", PersistOutcomes.Label(outcome)));

    public void RedisFailed(string operation) => _redisErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void Rejected(SnapshotSource source, RecordRejection reason) => _rejections.Add(
        1,
        new KeyValuePair<string, object?>("source", ClusterLabels.Source(source)),
        new KeyValuePair<string, object?>("reason", RecordRejections.Label(reason)));

    public void Installed(SnapshotSource source) => _installs.Add(1, new KeyValuePair<string, object?>("source", ClusterLabels.Source(source)));
}
