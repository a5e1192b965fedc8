using IncidentService.Api.Snapshots;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;

namespace IncidentService.Api.Web.Controllers;

/// <summary>How fresh and complete the served data is, and how each upstream feed is doing.</summary>
internal static class ServiceStatusReport
{
    public static ServiceStatus Build(SnapshotStore store, IFeedStatus board, IClusterStatus cluster, UpstreamConnection upstream, RefreshPolicy policy, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var snapshot = store.Current;
        var readiness = snapshot is not null && board.Ledger is { } ledger
            ? ledger.Readiness(now, policy)
            : new DataReadiness(false, "no snapshot yet");
        return new ServiceStatus(
            // Scheme, host and port only: a path or user info may carry what an operator did not mean to publish.
            new UpstreamStatus(upstream.Root.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped), upstream.IsSimulator),
            snapshot is null ? null : new SnapshotStatus(
                snapshot.CreatedAt,
                snapshot.DataAsOf,
                Seconds(now - snapshot.DataAsOf),
                snapshot.ContentChangedAt,
                snapshot.IsComplete,
                snapshot.MissingFeeds,
                snapshot.Counts.Employees,
                snapshot.Counts.Incidents,
                snapshot.Counts.Unresolved,
                snapshot.Counts.Malformed),
            snapshot is null ? board.HoldReason ?? "the first refresh cycle is running" : null,
            new ReadinessStatus(readiness.Ready, readiness.Description, policy.MaxDataAge.TotalSeconds),
            board.LastCycle is { } cycle
                ? new CycleStatus(cycle.Number, RefreshCycleKinds.Label(cycle.Kind), cycle.StartedAt, cycle.Duration.TotalMilliseconds, cycle.Succeeded, cycle.Failed)
                : null,
            [.. board.States.Values.Select(state => new FeedStatus(
                state.Name,
                state.Stale,
                state.LastAttempt,
                state.LastSuccess,
                state.LastSuccess is { } success ? Seconds(now - success) : null,
                state.LastError,
                state.LastErrorKind is { } kind ? FetchFailureKinds.Label(kind) : null,
                state.FailingSince,
                state.RetryAt,
                state.Items,
                state.Malformed,
                state.LastDuration?.TotalMilliseconds,
                state.Note))],
            Cluster(cluster.View));
    }

    private static ClusterStatus Cluster(ClusterView view) => new(
        ClusterLabels.Role(view.Role),
        view.LeaseHolder,
        view.Generation,
        view.Source is { } source ? ClusterLabels.Source(source) : null,
        view.RedisReachable,
        view.RedisError);

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);
}
