using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// Who an authenticated identity answers for: its name (a token's <c>sub</c>, an API key's name), else the client
/// a token was issued to (<c>client_id</c>, then <c>azp</c>: client-credential tokens often carry no <c>sub</c>).
/// The claim comes with the value, so a client named like some user is still another caller.
/// </summary>
internal static class AccountableCaller
{
    public const string ClientIdClaim = "client_id";
    public const string AuthorizedPartyClaim = "azp";

    /// <summary>The claim that names the caller and its value; null when the identity names no one.</summary>
    public static (string Claim, string Value)? Of(ClaimsIdentity identity)
    {
        if (identity.Name is { Length: > 0 } name)
        {
            return (identity.NameClaimType, name);
        }

        foreach (var claim in (ReadOnlySpan<string>)[ClientIdClaim, AuthorizedPartyClaim])
        {
            if (identity.FindFirst(claim)?.Value is { Length: > 0 } value)
            {
                return (claim, value);
            }
        }

        return null;
    }

    /// <summary>
    /// Fails a valid token that names no caller, counted and logged like any other refusal: it could not be held to a
    /// rate limit of its own. The request then goes on anonymous, and a protected route answers 401.
    /// </summary>
    public static Task RefuseUnaccountable(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || Of(identity) is null)
        {
            context.HttpContext.RequestServices.GetRequiredService<AccessTelemetry>()
                .Refused(context.HttpContext, AccessScheme.Bearer, AuthFailure.Unaccountable);
            context.Fail("The token names no caller (sub, client_id or azp).");
        }

        return Task.CompletedTask;
    }
}
