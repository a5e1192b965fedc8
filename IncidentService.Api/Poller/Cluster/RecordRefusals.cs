using IncidentService.Api.Snapshots;
using IncidentService.Core.Records;


namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// The record in Redis refused last. A follower meets the same refused record at every check until another is
/// published: it is counted and logged once, and not read again.
/// </summary>
internal sealed partial class RecordRefusals(ClusterMetrics metrics, ILogger<RecordRefusals> logger)
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
        LogRecordRejected(version, rejected.Reason);
    }

    /// <summary>A record was read and served: the next refusal is news again.</summary>
    public void Clear() => _last = null;

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Stored record {Version} in Redis refused, not served: {Reason}")]
    private partial void LogRecordRejected(long version, string reason);

    private sealed record RefusedRecord(long Version, RecordRejection Kind);
}
