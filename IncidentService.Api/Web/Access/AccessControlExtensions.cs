using System.Globalization;
using System.Threading.RateLimiting;
using IncidentService.Api.Configuration;
using IncidentService.Api.Hosting;
using IncidentService.Api.Web.Serving;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// Authentication (JWT bearer, API keys), scope policies, a per-client rate limit, CORS and response headers.
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

    /// <summary>The answer headers a page on an allowed origin may read, as a server-side client reads them.</summary>
    internal static readonly string[] ExposedHeaders =
    [
        SnapshotAnswer.MissingFeedsHeader, HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.RetryAfter, HeaderNames.WWWAuthenticate,
    ];

    /// <summary>The key <c>UseAuthentication</c> sets in the application's properties, which WebApplication checks.</summary>
    private const string AuthenticationAddedKey = "__AuthenticationMiddlewareSet";

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
            // Open reads never get here: MapIncidentControllers lets them past the policy.
            .AddPolicy(AccessPolicies.ReadAll, policy => policy.RequireAssertion(c => AccessScopes.Has(c.User, AccessScopes.ReadAll)))
            .AddPolicy(AccessPolicies.ReadEmployee, policy => policy.RequireAssertion(c =>
                AccessScopes.Has(c.User, AccessScopes.ReadAll) ||
                (c.Resource is HttpContext http && AccessScopes.IsOwnEmployee(c.User, http.GetRouteValue("employeeId") as string))))
            .AddPolicy(AccessPolicies.ReadChanges, policy => policy.RequireAssertion(c =>
                AccessScopes.Has(c.User, AccessScopes.ReadAll) || AccessScopes.OwnEmployees(c.User).Length > 0))
            .AddPolicy(AccessPolicies.Metrics, policy => policy.RequireAssertion(c => !auth.ProtectMetrics || AccessScopes.Has(c.User, AccessScopes.MetricsRead)));
        services.KeepAuthorizationServices();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectedAsync;
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, ManagementPorts>((limiter, options, management) =>
        {
            var bucket = Bucket(options.Value);
            Func<RateLimitClient, RateLimiter> newBucket = _ => new TokenBucketRateLimiter(bucket); // one delegate, not one per request
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, RateLimitClient>(context => Partition(context, management, newBucket));
        });

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsAccessOptions>>((cors, access) => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(access.Value.AllowedOrigins)
            .WithMethods(HttpMethods.Get, HttpMethods.Head)
            // The credential headers, and If-None-Match so a dashboard can revalidate with the ETag.
            .WithHeaders(HeaderNames.Authorization, ApiKeyAuthenticationHandler.HeaderName, HeaderNames.IfNoneMatch)
            // Every header a dashboard reads: without Missing-Feeds a page could not tell an incomplete snapshot.
            .WithExposedHeaders(ExposedHeaders)));

        services.ConfigureSwaggerGen(swagger =>
        {
            SecurityRequirementsOperationFilter.Declare(swagger, schemes);
            swagger.AddOperationFilterInstance(new SecurityRequirementsOperationFilter(schemes, open));
        });
        return builder;
    }

    /// <summary>
    /// The framework registers the authorization services as transient: every request built the evaluator, the
    /// service, the policy and handler providers and the handlers again, in a request scope made for them (a third of
    /// what a 304 allocated). They hold no state of their own and no handler here needs a scoped service, so one of
    /// each serves every request.
    /// </summary>
    private static void KeepAuthorizationServices(this IServiceCollection services)
    {
        Type[] stateless =
        [
            typeof(IPolicyEvaluator), typeof(IAuthorizationService), typeof(IAuthorizationPolicyProvider),
            typeof(IAuthorizationHandlerProvider), typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandlerContextFactory),
        ];
        foreach (var type in stateless)
        {
            var registered = services.LastOrDefault(d => d.ServiceType == type)?.ImplementationType
                ?? throw new InvalidOperationException($"{type.Name} is no longer registered by type; revisit {nameof(KeepAuthorizationServices)}.");
            services.Replace(ServiceDescriptor.Singleton(type, registered));
        }
    }

    /// <summary>CORS, then headers, authentication, the rate limit (which needs the principal) and authorization.</summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        // Decided once in AddAccessControl; the configuration was validated before this runs.
        var schemes = app.Services.GetRequiredService<AccessSchemes>();
        if (schemes.OpenBecause is { } why)
        {
            LogAnonymous(app.Logger, why);
        }

        var cors = app.Services.GetRequiredService<IOptions<CorsAccessOptions>>().Value.AllowedOrigins is { Length: > 0 };
        if (cors)
        {
            app.UseCors();
        }

        var varyByCredentials = !schemes.Open;
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (cors)
                {
                    OriginVary.Add(headers);
                }

                // A shared cache must not hand one caller's answer to another who sends other credentials.
                if (varyByCredentials && context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null)
                {
                    headers.Append(HeaderNames.Vary, $"{HeaderNames.Authorization}, {ApiKeyAuthenticationHandler.HeaderName}");
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        // Without a credential header every scheme would answer "no result": the anonymous principal is already there.
        // WebApplication adds authentication for every request, ahead of everything, unless the app added it; a branch
        // does not tell it so, hence the marker UseAuthentication itself sets.
        app.UseWhen(context => AccessSchemes.CarriesCredentials(context.Request), credentials => credentials.UseAuthentication());
        ((IApplicationBuilder)app).Properties[AuthenticationAddedKey] = true;
        app.UseRateLimiter();
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
            OnTokenValidated = AccountableCaller.RefuseUnaccountable,
            OnAuthenticationFailed = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<AccessTelemetry>()
                    .Refused(context.HttpContext, AccessTelemetry.SchemeBearer, AccessTelemetry.Classify(context.Exception));
                return Task.CompletedTask;
            },
        };
    }

    private static RateLimitPartition<RateLimitClient> Partition(HttpContext context, ManagementPorts management, Func<RateLimitClient, RateLimiter> newBucket)
    {
        // Probes stay answerable whatever a client on the same address does; on a management port, so do the metrics
        // (only the probes and the metrics are served there).
        if (management.Separate
                ? management.Serves(context)
                : context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
        {
            return RateLimitPartition.GetNoLimiter(RateLimitClient.Unlimited);
        }

        // Without a principal or an address there is no client to tell apart: one shared bucket would let one
        // caller starve every other, so such requests are not limited (over TCP every request has an address).
        return RateLimitClient.Of(context) is { } client
            ? RateLimitPartition.Get(client, newBucket)
            : RateLimitPartition.GetNoLimiter(RateLimitClient.Unlimited);
    }

    /// <summary>Whole tokens per period: 50/s is 50 every second, 0.5/s one every 2 s.</summary>
    internal static TokenBucketRateLimiterOptions Bucket(RateLimitOptions options)
    {
        var tokens = Math.Max(1, (int)Math.Round(options.PermitsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / options.PermitsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask RejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client is over its rate limit; retry after {seconds} s.",
            },
        });
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Access control is OFF ({Why}): incident data is readable by anyone who can reach the service.")]
    private static partial void LogAnonymous(ILogger logger, string why);
}
