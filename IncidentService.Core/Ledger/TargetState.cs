using System.Collections.Immutable;

namespace IncidentService.Core.Ledger;

/// <summary>What is known about one upstream target (a feed, or the identities) after its last attempt.</summary>
public sealed record TargetState(string Name)
{
    public DateTimeOffset? LastAttempt { get; init; }

    /// <summary>When it last answered well; the data served for it is from then.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>Why the last attempt failed; null when it succeeded.</summary>
    public string? LastError { get; init; }

    public FetchFailureKind? LastErrorKind { get; init; }

    /// <summary>Start of the current run of failures.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    public int ConsecutiveFailures { get; init; }

    /// <summary>When a failing target is tried again on its own, before the next regular cycle; null when it is healthy.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    public int Items { get; init; }

    public ImmutableSortedDictionary<string, int> Malformed { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    public TimeSpan? LastDuration { get; init; }

    /// <summary>Something an operator should know about the last good answer, such as doubted identities.</summary>
    public string? Note { get; init; }

    /// <summary>True when what is served for this target is not from its latest attempt (or nothing is).</summary>
    public bool Stale => LastSuccess is null || LastError is not null;
}
