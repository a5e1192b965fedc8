namespace IncidentService.Api.Poller.Cluster;

internal static class ReplicaNames
{
    /// <summary>The configured name, else host name and process id: unique among replicas on one machine too.</summary>
    public static string Of(ClusterOptions options) => options.ReplicaName ?? $"{Environment.MachineName}-{Environment.ProcessId}";
}
