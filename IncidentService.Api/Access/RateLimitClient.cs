using System.Net;

namespace IncidentService.Api.Access;

/// <summary>
/// Whom the rate limiter counts a request against: the authenticated principal (its scheme and name), or the client
/// address when anonymous. A value, so telling clients apart formats no string per request.
/// </summary>
internal readonly record struct RateLimitClient(string? Scheme, string? Name, IPAddress? Address)
{
    /// <summary>The key of the requests that are not limited (probes, and requests with nothing to tell them apart).</summary>
    public static RateLimitClient Unlimited => default;

    /// <summary>
    /// The principal, or the address when anonymous; null for an anonymous request with no peer address (the
    /// in-process test host, a Unix socket), which has nothing to tell it from any other such client.
    /// </summary>
    public static RateLimitClient? Of(HttpContext context)
    {
        foreach (var identity in context.User.Identities)
        {
            if (identity.IsAuthenticated)
            {
                return new RateLimitClient(identity.AuthenticationType, identity.Name, null);
            }
        }

        return context.Connection.RemoteIpAddress is { } address ? new RateLimitClient(null, null, address) : null;
    }
}
