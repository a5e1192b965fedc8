using IncidentService.Api.Snapshots;
using IncidentService.Core.Records;


namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// The record in Redis refused last. A follower meets the same refused record at every check until another is
/// published: it is counted and logged once, and not read again.
/// </summary>
internal sealed class RecordRefusals(ClusterMetrics metrics, ILogger<RecordRefusals> logger)
{
    private volatile RefusedRecord? _last;

    /// <summary>Whether the record under this publish number was refused already.</summary>
    public bool Refused(long version) => _last?.Version == version;

    public void Refuse(long version, RecordRejected rejected)
    {
        var refused = new RefusedRecord(version, rejected.Kind);
        if (_last == refused)
        {
            return;
        }

        _last = refused;
        metrics.Rejected(SnapshotSource.Redis, rejected.Kind);
        logger.RecordRejected(version, rejected.Reason);
    }

    /// <summary>A record was read and served: the next refusal is news again.</summary>
    public void Clear() => _last = null;

    private sealed record RefusedRecord(long Version, RecordRejection Kind);
}
