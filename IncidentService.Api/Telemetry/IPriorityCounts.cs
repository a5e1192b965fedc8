using IncidentService.Core;
using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Telemetry;

/// <summary>Incidents per priority of a snapshot, in <see cref="Priorities.All"/> order, as the web side's views count them once per snapshot.</summary>
public interface IPriorityCounts
{
    IReadOnlyList<int> PriorityCounts(IncidentSnapshot snapshot);
}
