using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// The schemes (a policy scheme that picks JWT bearer or API key, and those two), and where requests are
/// authenticated: only those that carry a credential header. Any other request would come out anonymous anyway, and
/// skipping the handlers is a measurable share of a 304. So no scheme is the default for authenticating: the
/// framework's authentication middleware, placed here by <c>UseAuthentication</c> (which also keeps WebApplication
/// from adding its own ahead of the whole pipeline), authenticates nothing, and the step after it asks the selector
/// when a credential is there.
/// </summary>
internal static class AccessAuthentication
{
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static IServiceCollection AddAccessAuthentication(this IServiceCollection services, AccessSchemes schemes, JwtAuthOptions jwtOptions)
    {
        services.AddSingleton<ApiKeyRegistry>();
        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultChallengeScheme = AccessSchemes.Selector;
                options.DefaultForbidScheme = AccessSchemes.Selector;
            })
            .AddPolicyScheme(AccessSchemes.Selector, "Bearer token or API key", selector => selector.ForwardDefaultSelector = schemes.Select)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (schemes.Jwt)
        {
            authentication.AddJwtBearer(jwt => ConfigureJwt(jwt, jwtOptions));
        }

        return services;
    }

    /// <summary>The framework's middleware (with no default scheme it authenticates nothing), then the credential-bearing requests.</summary>
    public static WebApplication UseCredentialAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(AuthenticateCredentialsAsync);
        return app;
    }

    /// <summary>What the framework's middleware does for its default scheme, for a request that carries a credential.</summary>
    private static async Task AuthenticateCredentialsAsync(HttpContext context, RequestDelegate next)
    {
        if (AccessSchemes.CarriesCredentials(context.Request))
        {
            var result = await context.AuthenticateAsync(AccessSchemes.Selector);
            if (result.Principal is { } principal)
            {
                context.User = principal;
            }

            if (result.Succeeded)
            {
                var authenticated = new AuthenticatedRequest(result);
                context.Features.Set<IHttpAuthenticationFeature>(authenticated);
                context.Features.Set<IAuthenticateResultFeature>(authenticated);
            }
        }

        await next(context);
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
            OnTokenValidated = AccountableCaller.RefuseUnaccountable,
            OnAuthenticationFailed = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<AccessTelemetry>()
                    .Refused(context.HttpContext, AccessScheme.Bearer, AccessTelemetry.Classify(context.Exception));
                return Task.CompletedTask;
            },
        };
    }
}
