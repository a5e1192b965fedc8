namespace IncidentService.Api.Poller.Refresh;

/// <summary>The refresher's log events (ids 100–107), written under the refresher's category by it and its parts.</summary>
internal static partial class RefreshLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Refresh cycle {Cycle} ({Kind}): {Succeeded} targets fetched, {Failed} failed in {DurationMs:0} ms; serving {Employees} employees, {Incidents} incidents, {Unresolved} unresolved, {Malformed} malformed skipped; snapshot {Snapshot} (build {BuildMs:0} ms, compression {CompressionMs:0} ms)")]
    public static partial void Cycle(this ILogger logger, long cycle, string kind, int succeeded, int failed, double durationMs, int employees, int incidents, int unresolved, int malformed, string snapshot, double buildMs, double compressionMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Upstream {Target} failed ({Failure}): {Reason}; keeping its last good data")]
    public static partial void FetchFailed(this ILogger logger, string target, string failure, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Refresh cycle {Cycle} failed unexpectedly; the last snapshot stays in service")]
    public static partial void CycleCrashed(this ILogger logger, Exception exception, long cycle);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Upstream {Target} failed unexpectedly; keeping its last good data")]
    public static partial void FetchCrashed(this ILogger logger, Exception exception, string target);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning,
        Message = "Identities answer had {Fresh} of {Trusted} trusted entries; keeping {Retained} earlier mappings until {Until:O}")]
    public static partial void IdentitiesDoubted(this ILogger logger, int fresh, int trusted, int retained, DateTimeOffset until);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "No snapshot served yet: {Reason}")]
    public static partial void Holding(this ILogger logger, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Serving a {Completeness} snapshot; feeds missing: {Missing}")]
    public static partial void Serving(this ILogger logger, string completeness, string missing);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning,
        Message = "Identities answer mapped {Moved} of {Trusted} trusted addresses to other employees; keeping {Retained} earlier mappings until {Until:O}")]
    public static partial void IdentitiesChurned(this ILogger logger, int moved, int trusted, int retained, DateTimeOffset until);
}
