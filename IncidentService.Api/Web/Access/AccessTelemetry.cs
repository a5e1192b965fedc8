using System.Net;
using IncidentService.Api.Telemetry;
using Microsoft.IdentityModel.Tokens;

namespace IncidentService.Api.Web.Access;

/// <summary>Why a request was refused; the tag values are this map, never an enum's name.</summary>
internal enum AuthFailure
{
    Missing,
    Expired,
    NotYetValid,
    WrongAudience,
    WrongIssuer,
    BadSignature,
    Malformed,
    MetadataUnavailable,
    InvalidToken,
    UnknownKey,
    InsufficientScope,
    Unaccountable,
}

/// <summary>Logs (never the credential) and counts refused requests.</summary>
internal sealed partial class AccessTelemetry(IncidentMetrics metrics, ILogger<AccessTelemetry> logger)
{
    public const string SchemeNone = "none";
    public const string SchemeBearer = "bearer";
    public const string SchemeApiKey = "api_key";

    public static string Tag(AuthFailure failure) => failure switch
    {
        AuthFailure.Missing => "missing",
        AuthFailure.Expired => "expired",
        AuthFailure.NotYetValid => "not_yet_valid",
        AuthFailure.WrongAudience => "audience",
        AuthFailure.WrongIssuer => "issuer",
        AuthFailure.BadSignature => "signature",
        AuthFailure.Malformed => "malformed",
        AuthFailure.MetadataUnavailable => "metadata_unavailable",
        AuthFailure.InvalidToken => "invalid",
        AuthFailure.UnknownKey => "unknown_key",
        AuthFailure.InsufficientScope => "insufficient_scope",
        AuthFailure.Unaccountable => "unaccountable",
        _ => "other",
    };

    /// <summary>What the token validator's exception means, without keeping its message (it may quote the token).</summary>
    public static AuthFailure Classify(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => AuthFailure.Expired,
        SecurityTokenNotYetValidException => AuthFailure.NotYetValid,
        SecurityTokenInvalidAudienceException => AuthFailure.WrongAudience,
        SecurityTokenInvalidIssuerException => AuthFailure.WrongIssuer,
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => AuthFailure.BadSignature,
        SecurityTokenMalformedException or ArgumentException => AuthFailure.Malformed,
        InvalidOperationException => AuthFailure.MetadataUnavailable,
        _ => AuthFailure.InvalidToken,
    };

    public void Refused(HttpContext context, string scheme, AuthFailure failure)
    {
        var reason = Tag(failure);
        metrics.AuthFailed(scheme, reason);
        var path = context.Request.Path;
        var remote = context.Connection.RemoteIpAddress;
        switch (failure)
        {
            case AuthFailure.Missing:
                LogMissing(path, remote);
                break;
            case AuthFailure.InsufficientScope:
                LogForbidden(context.User.Identity?.Name, scheme, path, remote);
                break;
            default:
                LogFailed(scheme, reason, path, remote);
                break;
        }
    }

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "Authentication failed: scheme {Scheme}, reason {Reason}, path {Path}, client {RemoteIp}")]
    private partial void LogFailed(string scheme, string reason, PathString path, IPAddress? remoteIp);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "Forbidden: {Principal} ({Scheme}) lacks the scope for {Path}, client {RemoteIp}")]
    private partial void LogForbidden(string? principal, string scheme, PathString path, IPAddress? remoteIp);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information,
        Message = "No credentials: path {Path}, client {RemoteIp}")]
    private partial void LogMissing(PathString path, IPAddress? remoteIp);
}
