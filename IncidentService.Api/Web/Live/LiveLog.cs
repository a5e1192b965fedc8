namespace IncidentService.Api.Web.Live;

/// <summary>The log events of the change stream (600-609).</summary>
internal static partial class LiveLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "Change stream opened for employees {Scope}")]
    public static partial void StreamOpened(ILogger logger, string scope);
}
