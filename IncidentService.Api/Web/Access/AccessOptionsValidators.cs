using System.Globalization;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// Secure by default: outside Development the service will not start until someone has chosen how readers
/// authenticate, or has said in so many words that anyone may read. Messages name the key at fault.
/// </summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (!options.AnyMethod && !options.AllowAnonymous && !environment.IsDevelopment())
        {
            failures.Add($"Auth: no authentication method is configured in the '{environment.EnvironmentName}' environment; set Auth:Jwt:Authority and Auth:Jwt:Audience, or Auth:ApiKeys:<name>:Sha256, or Auth:AllowAnonymous=true to let anyone read incident data.");
        }

        if (options.JwtConfigured)
        {
            ValidateJwt(options.Jwt, failures);
        }

        foreach (var (keyName, key) in options.ApiKeys)
        {
            if (key.Sha256 is not { Length: 64 } hash || !IsHex(hash))
            {
                failures.Add($"Auth:ApiKeys:{keyName}:Sha256: must be the 64 hex digits of the key's SHA-256 (scripts/new-api-key.sh prints both), never the key itself.");
            }

            var scopes = AccessScopes.Split(key.Scopes);
            if (scopes.Length == 0)
            {
                failures.Add($"Auth:ApiKeys:{keyName}:Scopes: required, space-separated ({AccessScopes.ReadAll} and/or {AccessScopes.MetricsRead}).");
            }

            foreach (var unknown in scopes.Where(s => s is not (AccessScopes.ReadAll or AccessScopes.MetricsRead)))
            {
                failures.Add($"Auth:ApiKeys:{keyName}:Scopes: '{unknown}' is not a scope an API key can hold ({AccessScopes.ReadAll}, {AccessScopes.MetricsRead}).");
            }
        }

        if (options.ProtectMetrics && !options.AnyMethod)
        {
            failures.Add("Auth:ProtectMetrics: needs an authentication method (Auth:Jwt or Auth:ApiKeys) for the scraper to use.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateJwt(JwtAuthOptions jwt, List<string> failures)
    {
        if (!Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add("Auth:Jwt:Authority: must be the issuer's absolute https URL (its /.well-known/openid-configuration is read).");
        }
        else if (authority.Scheme == "http" && jwt.RequireHttpsMetadata)
        {
            failures.Add("Auth:Jwt:RequireHttpsMetadata: the authority is plain http; use https, or set this to false for a local issuer only.");
        }

        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            failures.Add("Auth:Jwt:Audience: required with Auth:Jwt:Authority (the aud a token must carry for this service).");
        }
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigit);
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (!(options.PermitsPerSecond > 0) || double.IsInfinity(options.PermitsPerSecond))
        {
            failures.Add($"RateLimit:PermitsPerSecond: must be a positive number (got {options.PermitsPerSecond.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (options.Burst < 1)
        {
            failures.Add($"RateLimit:Burst: must be at least 1 (got {options.Burst}).");
        }

        if (options.FilterBytesPerPermit < 1)
        {
            failures.Add($"RateLimit:FilterBytesPerPermit: must be at least 1 (got {options.FilterBytesPerPermit}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class CorsAccessOptionsValidator : IValidateOptions<CorsAccessOptions>
{
    public ValidateOptionsResult Validate(string? name, CorsAccessOptions options)
    {
        // An origin is scheme://host[:port] only; '*' would hand every web page the answers a user's token unlocks.
        var bad = options.AllowedOrigins.Where(o =>
            !Uri.TryCreate(o, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.PathAndQuery != "/" || o.EndsWith('/')).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Cors:AllowedOrigins: '{string.Join("', '", bad)}' is not an origin like https://dashboard.example (no path, no trailing slash, no '*').");
    }
}
