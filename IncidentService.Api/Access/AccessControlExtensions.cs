using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IncidentService.Api.Access;

/// <summary>
/// Authentication (JWT bearer, API keys) and scope policies.
/// Which schemes exist is decided from configuration at startup; validators stop a start whose choice is unsafe.
/// </summary>
internal static partial class AccessControlExtensions
{
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static WebApplicationBuilder AddAccessControl(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var open = auth.IsOpen(builder.Environment);
        var schemes = new AccessSchemes(auth.JwtConfigured, auth.ApiKeysConfigured);
        services.AddSingleton(schemes);
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<AccessTelemetry>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessResultHandler>();

        var authentication = services.AddAuthentication(AccessSchemes.Selector)
            .AddPolicyScheme(AccessSchemes.Selector, "Bearer token or API key", selector => selector.ForwardDefaultSelector = schemes.Select)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (schemes.Jwt)
        {
            authentication.AddJwtBearer(jwt => ConfigureJwt(jwt, auth.Jwt));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.ReadAll, policy => policy.RequireAssertion(c => open || AccessScopes.Has(c.User, AccessScopes.ReadAll)))
            .AddPolicy(AccessPolicies.ReadEmployee, policy => policy.RequireAssertion(c =>
                open || AccessScopes.Has(c.User, AccessScopes.ReadAll) ||
                (c.Resource is HttpContext http && AccessScopes.IsOwnEmployee(c.User, http.GetRouteValue("employeeId") as string))))
            .AddPolicy(AccessPolicies.Metrics, policy => policy.RequireAssertion(c => !auth.ProtectMetrics || AccessScopes.Has(c.User, AccessScopes.MetricsRead)));

        return builder;
    }

    /// <summary>Authentication, then authorization.</summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        var auth = app.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var open = auth.IsOpen(app.Environment);
        if (open)
        {
            LogAnonymous(app.Logger, auth.AllowAnonymous
                ? "Auth:AllowAnonymous=true"
                : "Development with no Auth:Jwt or Auth:ApiKeys configured");
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, JwtAuthOptions options)
    {
        jwt.Authority = options.Authority;
        jwt.Audience = options.Audience;
        jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
        jwt.MapInboundClaims = false; // keep scope, scp, roles and employee_id under the names the issuer used
        jwt.IncludeErrorDetails = false; // WWW-Authenticate must not say why a token failed
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // Only the issuer's public-key algorithms: no alg "none", no HMAC keyed with a public key.
            ValidAlgorithms = AsymmetricAlgorithms,
            ClockSkew = TimeSpan.FromMinutes(1),
            AuthenticationType = JwtBearerDefaults.AuthenticationScheme,
            NameClaimType = "sub",
            RoleClaimType = "roles",
        };
        jwt.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<AccessTelemetry>()
                    .Refused(context.HttpContext, AccessTelemetry.SchemeBearer, AccessTelemetry.Classify(context.Exception));
                return Task.CompletedTask;
            },
        };
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Access control is OFF ({Why}): incident data is readable by anyone who can reach the service.")]
    private static partial void LogAnonymous(ILogger logger, string why);
}
