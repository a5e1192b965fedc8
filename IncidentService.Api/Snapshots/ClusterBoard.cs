namespace IncidentService.Api.Snapshots;

/// <summary>This replica's place in the cluster, for <c>/status</c> and metrics. Written by the lease keeper, the record installer and the Redis link.</summary>
public sealed class ClusterBoard(ClusterRole initialRole) : IClusterStatus
{
    private ClusterView _view = new(initialRole, null, 0, null, null, null, null);

    public ClusterView View => Volatile.Read(ref _view);

    /// <summary>Applies one change as a whole, whichever writer comes first.</summary>
    public void Update(Func<ClusterView, ClusterView> change)
    {
        while (true)
        {
            var seen = View;
            if (Interlocked.CompareExchange(ref _view, change(seen), seen) == seen)
            {
                return;
            }
        }
    }
}

/// <summary>One consistent reading of the cluster state.</summary>
/// <param name="Role">What this replica does now.</param>
/// <param name="LeaseHolder">The replica holding the lease as last seen; null when none or unknown.</param>
/// <param name="Generation">The lease generation of the record served (or of this replica's term while it leads).</param>
/// <param name="Source">Where the served snapshot came from; null before one is served.</param>
/// <param name="RedisReachable">Whether the last Redis operation succeeded; null without Redis or before the first.</param>
/// <param name="RedisError">The last Redis failure, in words, while unreachable.</param>
/// <param name="RecordVersion">The publish number of the record installed or published last (Redis), for followers to compare.</param>
public sealed record ClusterView(
    ClusterRole Role,
    string? LeaseHolder,
    long Generation,
    SnapshotSource? Source,
    bool? RedisReachable,
    string? RedisError,
    long? RecordVersion);
