namespace IncidentService.Api.Web.Controllers;

/// <summary>The service's view of its data and of the upstream.</summary>
/// <param name="Upstream">Where the data comes from.</param>
/// <param name="Snapshot">The snapshot being served; null until the first one.</param>
/// <param name="Waiting">Why no snapshot is served yet; null once one is.</param>
/// <param name="Ready">Whether <c>/readyz</c> passes, and why (or why not).</param>
/// <param name="LastCycle">The last refresh cycle.</param>
/// <param name="Feeds">Every upstream target.</param>
/// <param name="Cluster">This replica's role among the replicas sharing one Redis (or <c>single</c>), and where its snapshot came from.</param>
public sealed record ServiceStatus(UpstreamStatus Upstream, SnapshotStatus? Snapshot, string? Waiting, ReadinessStatus Ready, CycleStatus? LastCycle, IReadOnlyList<FeedStatus> Feeds, ClusterStatus Cluster);

/// <summary>This replica in the cluster.</summary>
/// <param name="Role"><c>leader</c> (polls the upstream and publishes), <c>follower</c> (serves what the leader published) or <c>single</c> (no Redis).</param>
/// <param name="LeaseHolder">The replica polling the upstream, as last seen; null alone, or when nobody holds the lease.</param>
/// <param name="Generation">The lease generation of the data served: every publish carries it, and an older one is refused.</param>
/// <param name="Source">Where the served snapshot came from: <c>upstream</c> (built here), <c>redis</c> (published by the leader) or <c>file</c> (<c>Snapshot:Path</c> at start); null before one is served.</param>
/// <param name="RedisReachable">Whether the last Redis operation succeeded; null without Redis.</param>
/// <param name="RedisError">While Redis is unreachable, the failed operation.</param>
public sealed record ClusterStatus(string Role, string? LeaseHolder, long Generation, string? Source, bool? RedisReachable, string? RedisError);

/// <summary>Where the data comes from (never with credentials).</summary>
/// <param name="Address">Scheme, host and port of the upstream.</param>
/// <param name="Simulator">True when the data is SIMULATED by the embedded simulator.</param>
public sealed record UpstreamStatus(string Address, bool Simulator);

/// <summary>The snapshot being served; null until the first one is built.</summary>
/// <param name="CreatedAt">When it was built.</param>
/// <param name="DataAsOf">When its oldest upstream data was received.</param>
/// <param name="AgeSeconds">Seconds since <paramref name="DataAsOf"/>: the age of the data, not of the build.</param>
/// <param name="ContentChangedAt">When what it serves last changed (the <c>Last-Modified</c>).</param>
/// <param name="Complete">False when a feed has never answered and its incidents are missing.</param>
/// <param name="MissingFeeds">The feeds missing from it (also in the <c>Missing-Feeds</c> response header).</param>
/// <param name="Employees">Employees with at least one incident.</param>
/// <param name="Incidents">Incidents attributed to an employee.</param>
/// <param name="Unresolved">Incidents that could not be attributed.</param>
/// <param name="Malformed">Items skipped as malformed.</param>
public sealed record SnapshotStatus(
    DateTimeOffset CreatedAt,
    DateTimeOffset DataAsOf,
    double AgeSeconds,
    DateTimeOffset ContentChangedAt,
    bool Complete,
    IReadOnlyList<string> MissingFeeds,
    int Employees,
    int Incidents,
    int Unresolved,
    int Malformed);

/// <summary>Readiness as <c>/readyz</c> decides it.</summary>
/// <param name="Ready">True when a snapshot is served and every target's data is within the age limit.</param>
/// <param name="Reason">Which rule holds or fails, in words.</param>
/// <param name="MaxDataAgeSeconds">The limit: <c>Refresh:MaxSnapshotAgeIntervals</c> × <c>Refresh:Interval</c>.</param>
public sealed record ReadinessStatus(bool Ready, string Reason, double MaxDataAgeSeconds);

/// <summary>The last refresh cycle; its <c>kind</c> is <c>regular</c> (every target) or <c>retry</c> (failing targets whose retry was due).</summary>
public sealed record CycleStatus(long Number, string Kind, DateTimeOffset StartedAt, double DurationMs, int Succeeded, int Failed);

/// <summary>One upstream target: a feed, or <c>identities</c>.</summary>
/// <param name="Name">Feed name, or identities.</param>
/// <param name="Stale">True when the served data of this target is not from its latest attempt (or there is none).</param>
/// <param name="LastAttempt">When it was last called.</param>
/// <param name="LastSuccess">When it last answered well; its data in the snapshot is from then.</param>
/// <param name="AgeSeconds">Seconds since the last success.</param>
/// <param name="LastError">Why the last attempt failed; null when it succeeded.</param>
/// <param name="LastErrorKind">The same as a stable label: unauthorized, httpstatus, timeout, circuitopen, network, badbody, toolarge, unexpected.</param>
/// <param name="FailingSince">Start of the current run of failures.</param>
/// <param name="RetryAt">When a failing target is tried again on its own, before the next regular cycle.</param>
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
    string? LastErrorKind,
    DateTimeOffset? FailingSince,
    DateTimeOffset? RetryAt,
    int Items,
    IReadOnlyDictionary<string, int> Malformed,
    double? DurationMs,
    string? Note);
