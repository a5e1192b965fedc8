using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace IncidentService.Api.Web.Access;

internal sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>The configured service accounts, by SHA-256 of the key (configuration never holds a key).</summary>
internal sealed class ApiKeyRegistry
{
    private readonly (string Name, byte[] Hash, string[] Scopes)[] _keys;

    public ApiKeyRegistry(IOptions<AuthOptions> options) =>
        _keys = [.. options.Value.ApiKeys
            .Where(k => k.Value.Sha256 is { Length: 64 })
            .Select(k => (k.Key, Convert.FromHexString(k.Value.Sha256!), AccessScopes.Split(k.Value.Scopes)))];

    /// <summary>
    /// Compares the presented key's hash with every configured hash in constant time and without stopping at a
    /// match, so neither the timing of one comparison nor the number made says which key is close or valid.
    /// </summary>
    public (string Name, string[] Scopes)? Find(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        (string, string[])? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = (key.Name, key.Scopes);
            }
        }

        return found;
    }
}

/// <summary><c>X-Api-Key: &lt;key&gt;</c> → a principal named after the configured service account, with its scopes.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    ApiKeyRegistry registry,
    AccessTelemetry telemetry) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggers, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary><c>Authorization: ApiKey &lt;key&gt;</c>, for clients that can only set Authorization (Prometheus' scrape config).</summary>
    public const string AuthorizationPrefix = "ApiKey ";

    public static bool IsPresented(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderName) ||
        request.Headers.Authorization.Any(value => value?.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) == true);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers.TryGetValue(HeaderName, out var header)
            ? header
            : new StringValues([.. Request.Headers.Authorization
                .Where(value => value?.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) == true)
                .Select(value => value![AuthorizationPrefix.Length..].Trim())]);
        if (values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(Refuse(AuthFailure.Malformed));
        }

        if (registry.Find(values[0]!) is not { } account)
        {
            return Task.FromResult(Refuse(AuthFailure.UnknownKey));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, account.Name) };
        claims.AddRange(account.Scopes.Select(scope => new Claim("scope", scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", $"{SchemeName} header=\"{HeaderName}\"");
        return Task.CompletedTask;
    }

    private AuthenticateResult Refuse(AuthFailure failure)
    {
        telemetry.Refused(Context, AccessScheme.ApiKey, failure);
        return AuthenticateResult.Fail("Invalid API key."); // the same words for every failure
    }
}
