using IncidentService.Api.Snapshots;
using IncidentService.Core.Identities;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>What the refresher tells whoever watches it (the metrics): each fetch, each cycle, each doubted identities answer.</summary>
public interface IRefreshObserver
{
    /// <summary>One upstream fetch of <paramref name="target"/> ended; <paramref name="outcome"/> is "success" or the failure's label.</summary>
    void Fetched(string target, string outcome, TimeSpan duration);

    /// <summary>A cycle of <paramref name="kind"/> ended: success, partial or failed.</summary>
    void CycleCompleted(RefreshCycleKind kind, string outcome, TimeSpan duration);

    void IdentitiesDoubted(IdentityDoubt doubt);
}
