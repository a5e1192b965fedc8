using System.Net;

namespace IncidentService.Api.Web.Access;

/// <summary>The log events of access control (200-209); never with a credential.</summary>
internal static partial class AccessLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Access control is OFF ({Why}): incident data is readable by anyone who can reach the service.")]
    public static partial void Anonymous(ILogger logger, string why);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "Authentication failed: scheme {Scheme}, reason {Reason}, path {Path}, client {RemoteIp}")]
    public static partial void Failed(ILogger logger, string scheme, string reason, PathString path, IPAddress? remoteIp);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "Forbidden: {Principal} ({Scheme}) lacks the scope for {Path}, client {RemoteIp}")]
    public static partial void Forbidden(ILogger logger, string? principal, string scheme, PathString path, IPAddress? remoteIp);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information,
        Message = "No credentials: path {Path}, client {RemoteIp}")]
    public static partial void Missing(ILogger logger, PathString path, IPAddress? remoteIp);
}
