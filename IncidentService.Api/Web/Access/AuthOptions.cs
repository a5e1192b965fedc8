namespace IncidentService.Api.Web.Access;

/// <summary>Who may read incident data: JWT bearer tokens, API keys, or (explicitly) anyone.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Serve incident data without credentials. Outside Development this must be said explicitly.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Require scope <c>metrics:read</c> on <c>/metrics</c>.</summary>
    public bool ProtectMetrics { get; set; }

    public JwtAuthOptions Jwt { get; set; } = new();

    /// <summary>Service accounts by name; the name becomes the principal's name.</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool JwtConfigured => !string.IsNullOrWhiteSpace(Jwt.Authority) || !string.IsNullOrWhiteSpace(Jwt.Audience);

    public bool ApiKeysConfigured => ApiKeys.Count > 0;

    public bool AnyMethod => JwtConfigured || ApiKeysConfigured;

    /// <summary>
    /// Anonymous reads are allowed when said explicitly, or in Development with no method configured (the
    /// simulator setup). Everywhere else the validator stops startup before this could matter.
    /// </summary>
    public bool IsOpen(IHostEnvironment environment) => AllowAnonymous || (!AnyMethod && environment.IsDevelopment());
}

internal sealed class JwtAuthOptions
{
    /// <summary>The issuer; its <c>/.well-known/openid-configuration</c> names the signing keys.</summary>
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>False only for a local issuer over plain http.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

internal sealed class ApiKeyOptions
{
    /// <summary>Hex SHA-256 of the key's UTF-8 bytes; the key itself is never configured.</summary>
    public string? Sha256 { get; set; }

    /// <summary>Space-separated scopes, e.g. <c>incidents:read</c>.</summary>
    public string? Scopes { get; set; }
}
