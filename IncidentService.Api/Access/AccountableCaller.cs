using System.Security.Claims;

namespace IncidentService.Api.Access;

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
}
