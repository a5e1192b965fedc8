using IncidentService.Api.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// Access control as a whole: authentication (JWT bearer, API keys), scope policies, a per-client rate limit, CORS
/// and response headers, each in a file of its own. Which schemes exist is decided from configuration at startup;
/// validators stop a start whose choice is unsafe.
/// </summary>
internal static class AccessControlExtensions
{
    public static WebApplicationBuilder AddAccessControl(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddCheckedOptions<AuthOptions, AuthOptionsValidator>(configuration, AuthOptions.SectionName);
        services.AddCheckedOptions<RateLimitOptions, RateLimitOptionsValidator>(configuration, RateLimitOptions.SectionName);
        services.AddCheckedOptions<CorsAccessOptions, CorsAccessOptionsValidator>(configuration, CorsAccessOptions.SectionName);

        // Which schemes to register is decided now; an unparsable value is named by the type check at validation.
        var auth = ConfigurationTypeCheck.TryGet<AuthOptions>(configuration, AuthOptions.SectionName) ?? new AuthOptions();
        var open = auth.IsOpen(builder.Environment);
        var schemes = new AccessSchemes(
            auth.JwtConfigured,
            auth.ApiKeysConfigured,
            !open ? null : auth.AllowAnonymous ? "Auth:AllowAnonymous=true" : "Development with no Auth:Jwt or Auth:ApiKeys configured");
        services.AddSingleton(schemes);
        services.AddSingleton<AccessTelemetry>();

        services.AddAccessAuthentication(schemes, auth.Jwt);
        services.AddAccessPolicies(auth.ProtectMetrics);
        services.AddClientRateLimit();
        services.AddCorsAccess();
        services.ConfigureSwaggerGen(swagger =>
        {
            SecurityRequirementsOperationFilter.Declare(swagger, schemes);
            swagger.AddOperationFilterInstance(new SecurityRequirementsOperationFilter(schemes, open));
        });
        return builder;
    }

    /// <summary>CORS, then headers, authentication, the rate limit (which needs the principal) and authorization.</summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        // Decided once in AddAccessControl; the configuration was validated before this runs.
        var schemes = app.Services.GetRequiredService<AccessSchemes>();
        if (schemes.OpenBecause is { } why)
        {
            AccessLog.Anonymous(app.Logger, why);
        }

        var cors = app.Services.GetRequiredService<IOptions<CorsAccessOptions>>().Value.AllowedOrigins is { Length: > 0 };
        if (cors)
        {
            app.UseCors();
        }

        app.UseAccessHeaders(cors, varyByCredentials: !schemes.Open);
        app.UseCredentialAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
