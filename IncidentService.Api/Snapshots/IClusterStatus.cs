namespace IncidentService.Api.Snapshots;

/// <summary>What <c>/status</c> and the metrics read of this replica's place in the cluster; the poller side writes it (<see cref="ClusterBoard"/>).</summary>
public interface IClusterStatus
{
    ClusterView View { get; }
}
