using System.Net;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// Whom the rate limiter counts a request against: the authenticated caller (its scheme, the claim that names it and
/// its value, <see cref="AccountableCaller"/>), or the client address when anonymous. A value, so telling clients
/// apart formats no string per request.
/// </summary>
internal readonly record struct RateLimitClient(string? Scheme, string? Claim, string? Name, IPAddress? Address)
{
    /// <summary>The key of the requests that are not limited (probes, and requests with nothing to tell them apart).</summary>
    public static RateLimitClient Unlimited => default;

    /// <summary>
    /// The caller, or the address when anonymous; null for an anonymous request with no peer address (the
    /// in-process test host, a Unix socket), which has nothing to tell it from any other such client.
    /// </summary>
    public static RateLimitClient? Of(HttpContext context)
    {
        foreach (var identity in context.User.Identities)
        {
            // Authentication refuses a token that names no caller, so an authenticated identity has one.
            if (identity.IsAuthenticated && AccountableCaller.Of(identity) is var (claim, name))
            {
                return new RateLimitClient(identity.AuthenticationType, claim, name, null);
            }
        }

        return context.Connection.RemoteIpAddress is { } address ? new RateLimitClient(null, null, null, address) : null;
    }
}
