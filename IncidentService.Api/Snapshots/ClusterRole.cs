namespace IncidentService.Api.Snapshots;

/// <summary>What this replica does in the cluster.</summary>
public enum ClusterRole
{
    /// <summary>No Redis configured: this process polls and serves alone.</summary>
    Alone,

    /// <summary>Holds the lease: the only replica that talks to the upstream, and publishes what it builds.</summary>
    Leader,

    /// <summary>Serves what the leader published; polls nothing.</summary>
    Follower,
}

/// <summary>Where the snapshot being served came from.</summary>
public enum SnapshotSource
{
    /// <summary>Built here from upstream answers.</summary>
    Upstream,

    /// <summary>Published by the leader (or found in Redis at start).</summary>
    Redis,

    /// <summary>Read from <c>Snapshot:Path</c> at start.</summary>
    File,
}

/// <summary>The public labels of the cluster's enums (status fields, metric tags).</summary>
public static class ClusterLabels
{
    public static string Role(ClusterRole role) => role switch
    {
        ClusterRole.Leader => "leader",
        ClusterRole.Follower => "follower",
        _ => "single",
    };

    public static string Source(SnapshotSource source) => source switch
    {
        SnapshotSource.Redis => "redis",
        SnapshotSource.File => "file",
        _ => "upstream",
    };
}
