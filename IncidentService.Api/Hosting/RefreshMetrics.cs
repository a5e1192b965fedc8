using IncidentService.Api.Poller.Refresh;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Telemetry;
using IncidentService.Core.Identities;

namespace IncidentService.Api.Hosting;

/// <summary>Connects the refresher's reports to the metrics, so that neither names the other.</summary>
internal sealed class RefreshMetrics(IncidentMetrics metrics) : IRefreshObserver
{
    public void Fetched(string target, string outcome, TimeSpan duration) => metrics.Fetched(target, outcome, duration);

    public void CycleCompleted(RefreshCycleKind kind, string outcome, TimeSpan duration) => metrics.CycleCompleted(kind, outcome, duration);

    public void IdentitiesDoubted(IdentityDoubt doubt) => metrics.IdentitiesDoubted(doubt);
}
