using System.Collections.Immutable;

namespace IncidentService.Api.Refresh;

/// <summary>What the refresher knows about one upstream target (a feed, or the identities) after its last attempt.</summary>
public sealed record FeedState(string Name)
{
    public DateTimeOffset? LastAttempt { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>Why the last attempt failed; null when it succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>Start of the current run of failures; the served data for this target dates from before it.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    public int Items { get; init; }

    public ImmutableSortedDictionary<string, int> Malformed { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    public TimeSpan? LastDuration { get; init; }

    /// <summary>Something an operator should know about the last good answer, such as doubted identities.</summary>
    public string? Note { get; init; }

    /// <summary>True when what is served for this target is not from its latest attempt.</summary>
    public bool Stale => LastSuccess is null || LastError is not null;
}
