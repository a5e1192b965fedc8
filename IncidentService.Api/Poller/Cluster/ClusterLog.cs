namespace IncidentService.Api.Poller.Cluster;

/// <summary>The cluster's log events (ids 300–331), each written under the category of the part that raises it.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Redis unreachable ({Operation}): {Reason}; serving the last snapshot, reconnecting")]
    public static partial void Unreachable(this ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Redis reachable")]
    public static partial void Reachable(this ILogger logger);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Replica {Holder} took the poller lease (generation {Generation}): polling the upstream in {QuietSeconds:0.#} s, once the previous poller's requests are done")]
    public static partial void LeaseAcquired(this ILogger logger, string holder, long generation, double quietSeconds);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Replica {Holder} stopped polling (generation {Generation}): {Reason}")]
    public static partial void LeaseLost(this ILogger logger, string holder, long generation, string reason);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Stored record {Version} in Redis refused, not served: {Reason}")]
    public static partial void RecordRejected(this ILogger logger, long version, string reason);

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Snapshot file {Path} ignored: {Reason}; starting without it")]
    public static partial void Ignored(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "Snapshot file {Path} not written: {Reason}")]
    public static partial void WriteFailed(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 330, Message = "Serving the snapshot from {Source}, published by {Holder} (generation {Generation}, record {Version}); its data is {AgeSeconds:0} s old")]
    public static partial void Installed(this ILogger logger, LogLevel level, string source, string holder, long generation, long version, double ageSeconds);

    [LoggerMessage(EventId = 331, Level = LogLevel.Warning, Message = "No stored snapshot could be read at start ({Reason}); waiting for the poller")]
    public static partial void NoWarmStart(this ILogger logger, string reason);
}
