namespace IncidentService.Api.Hosting;

/// <summary>The log events of starting and running the host (10-19); each caller passes its own category's logger.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Upstream:BaseUrl is not set: serving SIMULATED incidents from the embedded upstream simulator at {Address}")]
    public static partial void SimulatorStarted(ILogger logger, Uri address);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information,
        Message = "Accepting at most {MaxConnections} concurrent connections ({Source}); idle connections close after {KeepAliveTimeout}")]
    public static partial void ConnectionLimits(ILogger logger, string maxConnections, string source, TimeSpan keepAliveTimeout);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information,
        Message = "Requests run {Where} (Serving:InlineIo); " + InlineIo.SocketCompletionsVariable + "={SocketCompletions}")]
    public static partial void Scheduling(ILogger logger, string where, string socketCompletions);

    [LoggerMessage(EventId = 13, Level = LogLevel.Critical, Message = "{Service} failed; stopping the service")]
    public static partial void BackgroundServiceFailed(ILogger logger, Exception exception, string service);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning,
        Message = "Configuration key {Key} is not one this service reads and is ignored; the nearest known key is {Nearest}")]
    public static partial void UnknownKey(ILogger logger, string key, string nearest);
}
