namespace IncidentService.Api.Poller.Cluster;

/// <summary>The <c>Cluster</c> section: how replicas sharing one Redis choose their poller.</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>How long the poller's lease lasts without renewal: a dead poller is replaced within about this (and a sixth).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Prefix of every Redis key and channel, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "incident-service:";

    /// <summary>This replica's name in the lease and in <c>/status</c>; the host name and process id when unset.</summary>
    public string? ReplicaName { get; set; }

    /// <summary>How often a follower checks for a newer snapshot besides the publish notifications (which Redis does not keep).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
