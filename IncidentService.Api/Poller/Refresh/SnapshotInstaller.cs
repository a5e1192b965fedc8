using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using IncidentService.Core.Ledger;
using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>
/// Carries out the ledger's decision: builds the snapshot it allows (Core) and installs it in the store, or records
/// why none is served yet. Decides nothing itself.
/// </summary>
internal sealed class SnapshotInstaller(SnapshotStore store, FeedBoard board, RecordInstaller records, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Builds and installs what <paramref name="ledger"/> allows when something new arrived (<paramref name="changed"/>),
    /// or when nothing is served yet; what it did, for the cycle's log line, or null when it installed nothing.
    /// </summary>
    public SnapshotWork? Install(RefreshLedger ledger, RefreshPolicy policy, bool changed)
    {
        if (!changed && store.Current is not null)
        {
            return null;
        }

        switch (ledger.Decide(time.GetUtcNow(), policy))
        {
            case ServeSnapshot serve:
                var started = time.GetTimestamp();
                var build = SnapshotBuilder.Rebuild(serve.Sources, time.GetUtcNow(), store.Current);
                var snapshot = build.Snapshot;
                var built = time.GetTimestamp();
                if (store.Current is not { } current || !current.MissingFeeds.SequenceEqual(snapshot.MissingFeeds))
                {
                    logger.Serving(snapshot.IsComplete ? "complete" : "incomplete", snapshot.MissingFeeds.Length == 0 ? "none" : string.Join(", ", snapshot.MissingFeeds));
                }

                // Where it came from is on the board before anyone is served it, so /status never lags the answer.
                records.BuiltHere();
                store.Install(snapshot);
                board.HoldReason = null;
                return new SnapshotWork(build.Kept ? "kept (inputs unchanged)" : "rebuilt", time.GetElapsedTime(started, built), time.GetElapsedTime(built));
            case HoldSnapshot hold when board.HoldReason != hold.Reason:
                board.HoldReason = hold.Reason;
                logger.Holding(hold.Reason);
                break;
        }

        return null;
    }
}

/// <summary>What a cycle did to the snapshot, for its log line: rebuilt, kept because its inputs did not change, or not touched.</summary>
/// <param name="Label">What happened to the snapshot, in words.</param>
/// <param name="Build">The time to build it (Core).</param>
/// <param name="Install">The time to install it: compressing the answers and deriving the views, off the request path.</param>
internal sealed record SnapshotWork(string Label, TimeSpan Build, TimeSpan Install)
{
    public static readonly SnapshotWork None = new("not touched (nothing new)", TimeSpan.Zero, TimeSpan.Zero);
}
