namespace IncidentService.Api.Controllers;

/// <summary>The service's view of its data and of the upstream.</summary>
public sealed record ServiceStatus(UpstreamStatus Upstream, SnapshotStatus? Snapshot, CycleStatus? LastCycle, IReadOnlyList<FeedStatus> Feeds);

/// <summary>Where the data comes from (never with credentials).</summary>
/// <param name="Address">Scheme, host and port of the upstream.</param>
/// <param name="Simulator">True when the data is SIMULATED by the embedded simulator.</param>
public sealed record UpstreamStatus(string Address, bool Simulator);

/// <summary>The snapshot being served; null until the first one is built.</summary>
public sealed record SnapshotStatus(
    DateTimeOffset CreatedAt,
    double AgeSeconds,
    DateTimeOffset ContentChangedAt,
    int Employees,
    int Incidents,
    int Unresolved,
    int Malformed);

/// <summary>The last refresh cycle.</summary>
public sealed record CycleStatus(long Number, DateTimeOffset StartedAt, double DurationMs, int Succeeded, int Failed);

/// <summary>One upstream target: a feed, or <c>identities</c>.</summary>
/// <param name="Name">Feed name, or identities.</param>
/// <param name="Stale">True when the served data of this target is not from its latest attempt.</param>
/// <param name="LastAttempt">When it was last called.</param>
/// <param name="LastSuccess">When it last answered well; its data in the snapshot is from then.</param>
/// <param name="AgeSeconds">Seconds since the last success.</param>
/// <param name="LastError">Why the last attempt failed; null when it succeeded.</param>
/// <param name="FailingSince">Start of the current run of failures.</param>
/// <param name="Items">Items in the last good answer (incidents, or identities).</param>
/// <param name="Malformed">Items of the last good answer skipped, by reason.</param>
/// <param name="DurationMs">How long the last attempt took, retries included.</param>
/// <param name="Note">What an operator should know about the last good answer (e.g. doubted identities).</param>
public sealed record FeedStatus(
    string Name,
    bool Stale,
    DateTimeOffset? LastAttempt,
    DateTimeOffset? LastSuccess,
    double? AgeSeconds,
    string? LastError,
    DateTimeOffset? FailingSince,
    int Items,
    IReadOnlyDictionary<string, int> Malformed,
    double? DurationMs,
    string? Note);
