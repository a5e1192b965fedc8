using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;

namespace IncidentService.Core.Ledger;

/// <summary>What one fetch of one upstream target brought: a feed's answer, the identities, or a failure.</summary>
/// <param name="Target">The feed, or the identities.</param>
/// <param name="At">When the fetch started.</param>
/// <param name="Duration">How long it took, retries included.</param>
public abstract record FetchOutcome(Target Target, DateTimeOffset At, TimeSpan Duration);

public sealed record FeedFetched(FeedBatch Batch, DateTimeOffset At, TimeSpan Duration) : FetchOutcome(Target.Feed(Batch.Feed), At, Duration);

public sealed record IdentitiesFetched(IdentityDirectory Directory, DateTimeOffset At, TimeSpan Duration)
    : FetchOutcome(Target.Identities, At, Duration);

/// <summary>A failed fetch; the <c>Error</c> is in words written by this service, never upstream text.</summary>
public sealed record FetchFailed(Target Target, FetchFailureKind Kind, string Error, DateTimeOffset At, TimeSpan Duration)
    : FetchOutcome(Target, At, Duration);
