using System.Collections.Immutable;

namespace IncidentService.Api.Refresh;

/// <summary>Per-target states for <c>/status</c> and readiness. Written by the refresher only, read by anyone.</summary>
public sealed class FeedBoard
{
    private ImmutableSortedDictionary<string, FeedState> _states = ImmutableSortedDictionary<string, FeedState>.Empty;

    public IReadOnlyDictionary<string, FeedState> States => Volatile.Read(ref _states);

    public FeedState Get(string name) => States.TryGetValue(name, out var state) ? state : new FeedState(name);

    public void Set(FeedState state) => ImmutableInterlocked.Update(ref _states, (states, s) => states.SetItem(s.Name, s), state);

    /// <summary>The last cycle's start and duration, for status.</summary>
    public RefreshCycleInfo? LastCycle { get; set; }
}

public sealed record RefreshCycleInfo(DateTimeOffset StartedAt, TimeSpan Duration, int Succeeded, int Failed, long Number);
