using IncidentService.Core.Ledger;


namespace IncidentService.Api.Snapshots;

/// <summary>The refresh ledger and the last cycle, for <c>/status</c>, readiness and metrics. Written by the refresher only.</summary>
public sealed class FeedBoard : IFeedStatus
{
    private RefreshLedger? _ledger;

    /// <summary>Null only before the refresher is created.</summary>
    public RefreshLedger? Ledger
    {
        get => Volatile.Read(ref _ledger);
        set => Volatile.Write(ref _ledger, value);
    }

    public IReadOnlyDictionary<string, TargetState> States => (IReadOnlyDictionary<string, TargetState>?)Ledger?.Targets ?? new Dictionary<string, TargetState>();

    public TargetState Get(string name) => States.TryGetValue(name, out var state) ? state : new TargetState(name);

    /// <summary>The last cycle's start and duration, for status.</summary>
    public RefreshCycleInfo? LastCycle { get; set; }

    /// <summary>Why no snapshot is served yet; null once one is.</summary>
    public string? HoldReason { get; set; }
}

/// <summary>One finished refresh cycle: when, how long, how many targets succeeded and failed, and its kind.</summary>
public sealed record RefreshCycleInfo(DateTimeOffset StartedAt, TimeSpan Duration, int Succeeded, int Failed, long Number, RefreshCycleKind Kind);
