using IncidentService.Api.Web.Serving;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Web.Access;

/// <summary>Reads from browser dashboards on the origins <c>Cors:AllowedOrigins</c> names.</summary>
internal static class CorsAccess
{
    /// <summary>The answer headers a page on an allowed origin may read, as a server-side client reads them.</summary>
    internal static readonly string[] ExposedHeaders =
    [
        SnapshotAnswer.MissingFeedsHeader, HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.RetryAfter, HeaderNames.WWWAuthenticate,
    ];

    public static IServiceCollection AddCorsAccess(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsAccessOptions>>((cors, access) => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(access.Value.AllowedOrigins)
            .WithMethods(HttpMethods.Get, HttpMethods.Head)
            // The credential headers, and If-None-Match so a dashboard can revalidate with the ETag.
            .WithHeaders(HeaderNames.Authorization, ApiKeyAuthenticationHandler.HeaderName, HeaderNames.IfNoneMatch)
            // Every header a dashboard reads: without Missing-Feeds a page could not tell an incomplete snapshot.
            .WithExposedHeaders(ExposedHeaders)));
        return services;
    }
}
