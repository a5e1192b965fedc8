using IncidentService.Core.Ledger;

namespace IncidentService.Api.Snapshots;

/// <summary>What <c>/status</c>, readiness and the metrics read of the feeds; the poller side writes it (<see cref="FeedBoard"/>).</summary>
public interface IFeedStatus
{
    /// <summary>Null only before the refresher is created.</summary>
    RefreshLedger? Ledger { get; }

    IReadOnlyDictionary<string, TargetState> States { get; }

    /// <summary>The last cycle's start and duration.</summary>
    RefreshCycleInfo? LastCycle { get; }

    /// <summary>Why no snapshot is served yet; null once one is.</summary>
    string? HoldReason { get; }
}
