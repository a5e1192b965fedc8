using IncidentService.Api.Snapshots;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>Takes over a record built elsewhere (the leader, or an earlier run): its ledger for status and readiness, its snapshot to serve.</summary>
internal sealed class RecordInstaller(
    SnapshotStore store,
    FeedBoard feedBoard,
    ClusterBoard clusterBoard,
    ClusterMetrics metrics,
    TimeProvider time,
    ILogger<RecordInstaller> logger)
{
    /// <summary>The publish number of the record served, when it came from (or went to) Redis.</summary>
    public long? InstalledVersion => clusterBoard.View.RecordVersion;

    public void Install(StoredRecord stored, SnapshotSource source, bool atStart = false)
    {
        var record = stored.Record;
        feedBoard.Ledger = record.Ledger;
        if (record.Snapshot is { } snapshot)
        {
            store.Install(snapshot);
            feedBoard.HoldReason = null;
        }

        clusterBoard.Update(view => view with
        {
            Generation = record.Generation,
            LeaseHolder = view.Role == ClusterRole.Alone ? null : view.LeaseHolder ?? record.Holder,
            Source = record.Snapshot is null ? view.Source : source,
            RecordVersion = stored.Version ?? view.RecordVersion,
        });
        metrics.Installed(source);
        var label = ClusterLabels.Source(source);
        var age = record.Snapshot is { } served ? (time.GetUtcNow() - served.DataAsOf).TotalSeconds : double.NaN;
        logger.Installed(atStart ? LogLevel.Information : LogLevel.Debug, label, record.Holder, record.Generation, stored.Version ?? 0, age);
    }

    /// <summary>The poller built this snapshot itself.</summary>
    public void BuiltHere() => clusterBoard.Update(view => view with { Source = SnapshotSource.Upstream });
}
