using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IncidentService.Api.Web.Access;

/// <summary>Which authentication schemes are on, and whether reads are open to anyone: decided once, at startup.</summary>
internal sealed class AccessSchemes(bool jwt, bool apiKeys, string? open)
{
    /// <summary>The default scheme: forwards to the API key handler when a key is presented, else to JWT bearer.</summary>
    public const string Selector = "Access";

    public bool Jwt { get; } = jwt;

    public bool ApiKeys { get; } = apiKeys;

    /// <summary>True when anyone may read (said explicitly, or Development with no method configured).</summary>
    public bool Open => OpenBecause is not null;

    /// <summary>Why anyone may read, for the startup warning; null when credentials are required.</summary>
    public string? OpenBecause { get; } = open;

    public IEnumerable<string> Challenged =>
        new[] { Jwt ? JwtBearerDefaults.AuthenticationScheme : null, ApiKeys ? ApiKeyAuthenticationHandler.SchemeName : null }.OfType<string>();

    public string Select(HttpContext context) =>
        ApiKeyAuthenticationHandler.IsPresented(context.Request) || !Jwt
            ? ApiKeyAuthenticationHandler.SchemeName
            : JwtBearerDefaults.AuthenticationScheme;

    public static bool CarriesCredentials(HttpRequest request) =>
        request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) || request.Headers.Authorization.Count > 0;

    /// <summary>The scheme an authenticated principal came with.</summary>
    public static AccessScheme SchemeOf(ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName)
            ? AccessScheme.ApiKey
            : user.Identities.Any(i => i.IsAuthenticated) ? AccessScheme.Bearer : AccessScheme.None;
}
