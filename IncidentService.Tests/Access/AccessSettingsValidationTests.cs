using IncidentService.Api.Web.Access;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace IncidentService.Tests.Access;

/// <summary>
/// What the access settings accept and refuse, and that each refusal names its key, at the edges of each rule: the
/// validators run on start, so a wrong edge either stops a good configuration or lets a bad one serve.
/// </summary>
public sealed class AccessSettingsValidationTests
{
    private const string KeyHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public void Outside_development_no_method_and_no_anonymous_consent_is_refused_naming_the_environment()
    {
        var failures = Auth(new AuthOptions(), "Production");

        var failure = Assert.Single(failures);
        Assert.StartsWith("Auth: no authentication method is configured in the 'Production' environment;", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", false)]
    [InlineData("Production", true)]
    public void Development_or_anonymous_consent_needs_no_method(string environment, bool allowAnonymous) =>
        Assert.Empty(Auth(new AuthOptions { AllowAnonymous = allowAnonymous }, environment));

    [Fact]
    public void An_api_key_alone_is_a_method_outside_development() =>
        Assert.Empty(Auth(WithKey(KeyHash, "incidents:read"), "Production"));

    [Theory]
    [InlineData("the-key-itself")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0")] // 63 digits
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088")] // 65 digits
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g")] // 64, one not hex
    public void A_key_hash_must_be_64_hex_digits(string hash)
    {
        var failure = Assert.Single(Auth(WithKey(hash, "incidents:read"), "Production"));

        Assert.StartsWith("Auth:ApiKeys:ci:Sha256: must be the 64 hex digits", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_hash_in_capitals_is_accepted() =>
        Assert.Empty(Auth(WithKey(KeyHash.ToUpperInvariant(), "incidents:read metrics:read"), "Production"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_key_without_scopes_is_refused(string? scopes)
    {
        var failure = Assert.Single(Auth(WithKey(KeyHash, scopes), "Production"));

        Assert.StartsWith("Auth:ApiKeys:ci:Scopes: required, space-separated (incidents:read and/or metrics:read)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_unknown_scope_is_named()
    {
        var failures = Auth(WithKey(KeyHash, "incidents:read admin incidents:write"), "Production");

        Assert.Equal(
            [
                "Auth:ApiKeys:ci:Scopes: 'admin' is not a scope an API key can hold (incidents:read, metrics:read).",
                "Auth:ApiKeys:ci:Scopes: 'incidents:write' is not a scope an API key can hold (incidents:read, metrics:read).",
            ],
            failures);
    }

    [Fact]
    public void Protected_metrics_need_a_method_for_the_scraper()
    {
        var failure = Assert.Single(Auth(new AuthOptions { ProtectMetrics = true }, "Development"));

        Assert.StartsWith("Auth:ProtectMetrics: needs an authentication method", failure, StringComparison.Ordinal);
        Assert.Empty(Auth(new AuthOptions { ProtectMetrics = true, ApiKeys = WithKey(KeyHash, "metrics:read").ApiKeys }, "Development"));
    }

    [Theory]
    [InlineData("https://issuer.example", "incident-service", true, null)]
    [InlineData("http://127.0.0.1:8080", "incident-service", false, null)] // a local issuer, said explicitly
    [InlineData("http://127.0.0.1:8080", "incident-service", true, "Auth:Jwt:RequireHttpsMetadata: the authority is plain http;")]
    [InlineData("ftp://issuer.example", "incident-service", true, "Auth:Jwt:Authority: must be the issuer's absolute https URL")]
    [InlineData("issuer.example", "incident-service", true, "Auth:Jwt:Authority: must be the issuer's absolute https URL")]
    [InlineData(null, "incident-service", true, "Auth:Jwt:Authority: must be the issuer's absolute https URL")]
    [InlineData("https://issuer.example", " ", true, "Auth:Jwt:Audience: required with Auth:Jwt:Authority")]
    public void A_jwt_issuer_needs_an_absolute_http_or_https_authority_and_an_audience(string? authority, string? audience, bool requireHttps, string? named)
    {
        var options = new AuthOptions { Jwt = new JwtAuthOptions { Authority = authority, Audience = audience, RequireHttpsMetadata = requireHttps } };

        var failures = Auth(options, "Production");

        if (named is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.StartsWith(named, Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.001, 1, 1)] // the smallest of each
    [InlineData(50, 100, 1048576)] // the defaults
    public void A_positive_rate_a_burst_and_a_filter_charge_of_at_least_one_are_accepted(double permits, int burst, long bytesPerPermit) =>
        Assert.True(new RateLimitOptionsValidator().Validate(null, new RateLimitOptions { PermitsPerSecond = permits, Burst = burst, FilterBytesPerPermit = bytesPerPermit }).Succeeded);

    [Theory]
    [InlineData(0, "RateLimit:PermitsPerSecond: must be a positive number (got 0).")]
    [InlineData(-1, "RateLimit:PermitsPerSecond: must be a positive number (got -1).")]
    [InlineData(double.NaN, "RateLimit:PermitsPerSecond: must be a positive number (got NaN).")]
    [InlineData(double.PositiveInfinity, "RateLimit:PermitsPerSecond: must be a positive number (got Infinity).")]
    public void A_rate_that_is_not_a_positive_finite_number_is_refused(double permits, string message) =>
        Assert.Equal([message], RateLimit(new RateLimitOptions { PermitsPerSecond = permits }));

    [Fact]
    public void A_burst_or_a_filter_charge_below_one_is_refused_naming_each() =>
        Assert.Equal(
            ["RateLimit:Burst: must be at least 1 (got 0).", "RateLimit:FilterBytesPerPermit: must be at least 1 (got 0)."],
            RateLimit(new RateLimitOptions { Burst = 0, FilterBytesPerPermit = 0 }));

    [Theory]
    [InlineData("https://dashboard.example")]
    [InlineData("http://127.0.0.1:8080")]
    public void An_origin_is_accepted(string origin) =>
        Assert.True(new CorsAccessOptionsValidator().Validate(null, new CorsAccessOptions { AllowedOrigins = [origin] }).Succeeded);

    [Theory]
    [InlineData("*")]
    [InlineData("https://dashboard.example/")]
    [InlineData("https://dashboard.example/app")]
    [InlineData("https://dashboard.example?x=1")]
    [InlineData("ftp://dashboard.example")]
    [InlineData("dashboard.example")]
    public void What_is_not_an_origin_is_refused_and_quoted(string origin)
    {
        var result = new CorsAccessOptionsValidator().Validate(null, new CorsAccessOptions { AllowedOrigins = ["https://fine.example", origin] });

        Assert.Equal(
            $"Cors:AllowedOrigins: '{origin}' is not an origin like https://dashboard.example (no path, no trailing slash, no '*').",
            Assert.Single(result.Failures ?? []));
    }

    private static List<string> Auth(AuthOptions options, string environment) =>
        [.. new AuthOptionsValidator(new Environment(environment)).Validate(null, options).Failures ?? []];

    private static List<string> RateLimit(RateLimitOptions options) =>
        [.. new RateLimitOptionsValidator().Validate(null, options).Failures ?? []];

    private static AuthOptions WithKey(string hash, string? scopes) =>
        new() { ApiKeys = new(StringComparer.OrdinalIgnoreCase) { ["ci"] = new ApiKeyOptions { Sha256 = hash, Scopes = scopes } } };

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "IncidentService.Api";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
