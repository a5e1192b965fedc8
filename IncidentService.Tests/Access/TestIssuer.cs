using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentService.Tests.Access;

/// <summary>
/// A real OpenID issuer on 127.0.0.1:0 as far as JwtBearer can tell: it publishes its metadata and JWKS (one RSA
/// key), and mints tokens signed with that key, or with a foreign key, or unsigned.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "incident-service";
    private const string KeyId = "test-issuer-key-1";

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _foreignKey = RSA.Create(2048);
    private readonly JsonWebTokenHandler _tokens = new();
    private WebApplication? _app;

    /// <summary>The issuer and authority, <c>http://127.0.0.1:port</c>.</summary>
    public string Authority { get; private set; } = "";

    public static async Task<TestIssuer> StartAsync()
    {
        var issuer = new TestIssuer();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Authority,
            ["jwks_uri"] = $"{issuer.Authority}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        }));
        app.MapGet("/jwks", () =>
        {
            var key = issuer._key.ExportParameters(includePrivateParameters: false);
            return Results.Json(new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["alg"] = SecurityAlgorithms.RsaSha256,
                        ["kid"] = KeyId,
                        ["n"] = Base64UrlEncoder.Encode(key.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(key.Exponent),
                    },
                },
            });
        });
        await app.StartAsync();
        issuer._app = app;
        issuer.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return issuer;
    }

    /// <summary>The settings that point the service at this issuer.</summary>
    public (string Key, string Value)[] Settings =>
    [
        ("Auth:Jwt:Authority", Authority),
        ("Auth:Jwt:Audience", Audience),
        ("Auth:Jwt:RequireHttpsMetadata", "false"),
    ];

    /// <summary>A token signed by this issuer's published key, valid now for an hour unless told otherwise.</summary>
    public string Mint(
        IDictionary<string, object> claims,
        DateTime? notBefore = null,
        DateTime? expires = null,
        string? audience = Audience,
        string? issuer = null,
        bool foreignKey = false)
    {
        var now = DateTime.UtcNow;
        var signingKey = new RsaSecurityKey(foreignKey ? _foreignKey : _key) { KeyId = KeyId }; // a foreign key under the known kid
        return _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            Claims = new Dictionary<string, object>(claims) { ["sub"] = claims.TryGetValue("sub", out var sub) ? sub : "alice" },
            IssuedAt = (notBefore ?? now.AddMinutes(-1)),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public string MintWithScope(string scope, params (string Claim, object Value)[] extra)
    {
        var claims = new Dictionary<string, object> { ["scope"] = scope };
        foreach (var (claim, value) in extra)
        {
            claims[claim] = value;
        }

        return Mint(claims);
    }

    /// <summary>A token signed by this issuer with exactly these claims beside the registered ones: no <c>sub</c> unless given.</summary>
    public string MintWithClaims(params (string Claim, object Value)[] claims)
    {
        var now = DateTime.UtcNow;
        return _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = Audience,
            Claims = claims.ToDictionary(c => c.Claim, c => c.Value),
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public string MintUnsigned(string scope)
    {
        var now = DateTimeOffset.UtcNow;
        return _tokens.CreateToken(
            $$"""{"iss":"{{Authority}}","aud":"{{Audience}}","sub":"mallory","scope":"{{scope}}","nbf":{{now.AddMinutes(-1).ToUnixTimeSeconds()}},"exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Dispose();
        _foreignKey.Dispose();
    }
}
