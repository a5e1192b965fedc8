using System.Collections.Frozen;

namespace IncidentService.Api.Snapshots;

/// <summary>What this replica does in the cluster.</summary>
public enum ClusterRole
{
    /// <summary>No Redis configured: this process polls and serves alone.</summary>
    Alone,

    /// <summary>Holds the lease: the only replica that talks to the upstream, and persists what it builds.</summary>
    Leader,

    /// <summary>Serves what the leader published; polls nothing.</summary>
    Follower,
}

/// <summary>Where the snapshot being served came from.</summary>
public enum SnapshotSource
{
    /// <summary>Built here from upstream answers.</summary>
    Upstream,

    /// <summary>Persisted by the leader (or found in Redis at start).</summary>
    Redis,

    /// <summary>Read from <c>Snapshot:Path</c> at start.</summary>
    File,
}

/// <summary>The public labels of the cluster's enums (status fields, metric tags): each defined here once.</summary>
public static class ClusterLabels
{
    /// <summary>Every role with its label, in the order the role gauge lists them.</summary>
    public static IReadOnlyList<KeyValuePair<ClusterRole, string>> Roles { get; } =
    [
        new(ClusterRole.Alone, "single"),
        new(ClusterRole.Leader, "leader"),
        new(ClusterRole.Follower, "follower"),
    ];

    public static FrozenDictionary<SnapshotSource, string> Sources { get; } = new Dictionary<SnapshotSource, string>
    {
        [SnapshotSource.Upstream] = "upstream",
        [SnapshotSource.Redis] = "redis",
        [SnapshotSource.File] = "file",
    }.ToFrozenDictionary();

    public static string Role(ClusterRole role) => Roles.First(pair => pair.Key == role).Value;

    public static string Source(SnapshotSource source) => Sources[source];
}
