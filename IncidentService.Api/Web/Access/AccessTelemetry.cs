using IncidentService.Api.Telemetry;
using Microsoft.IdentityModel.Tokens;

namespace IncidentService.Api.Web.Access;

/// <summary>Logs (never the credential) and counts refused requests.</summary>
internal sealed class AccessTelemetry(IncidentMetrics metrics, ILogger<AccessTelemetry> logger)
{
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

    public void Refused(HttpContext context, AccessScheme scheme, AuthFailure failure)
    {
        var schemeLabel = AccessSchemeLabels.Label(scheme);
        var reason = AuthFailures.Label(failure);
        metrics.AuthFailed(schemeLabel, reason);
        var path = context.Request.Path;
        var remote = context.Connection.RemoteIpAddress;
        switch (failure)
        {
            case AuthFailure.Missing:
                AccessLog.Missing(logger, path, remote);
                break;
            case AuthFailure.InsufficientScope:
                AccessLog.Forbidden(logger, context.User.Identity?.Name, schemeLabel, path, remote);
                break;
            default:
                AccessLog.Failed(logger, schemeLabel, reason, path, remote);
                break;
        }
    }
}
