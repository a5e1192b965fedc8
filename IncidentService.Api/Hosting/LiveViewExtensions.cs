using IncidentService.Api.Configuration;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Web.Live;

namespace IncidentService.Api.Hosting;

/// <summary>The change stream's services, and the page at <c>/</c> served from wwwroot.</summary>
internal static class LiveViewExtensions
{
    /// <summary>
    /// Everything the page needs comes from this origin, and it is never framed: the policy says so to the browser,
    /// so a page that asked another origin for anything would be stopped (and the browser check would see it).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddLiveView(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCheckedOptions<LiveOptions, LiveOptionsValidator>(builder.Configuration, LiveOptions.SectionName);
        services.AddSingleton<SnapshotChanges>();
        services.AddSingleton<ISnapshotListener>(sp => sp.GetRequiredService<SnapshotChanges>());
        services.AddSingleton<LiveStreams>();
        services.AddSingleton<LiveMetrics>();
        return builder;
    }

    /// <summary>
    /// The page and its assets, to anyone: they hold no data (the data routes keep their own access rules, and the
    /// page asks for a key when they refuse). Only where no endpoint matched, as static files always are.
    /// </summary>
    public static WebApplication UseLiveView(this WebApplication app)
    {
        // Its instruments exist from the start: the open-streams gauge reads 0 before the first stream, not nothing.
        app.Services.GetRequiredService<LiveMetrics>();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidated on every load (a 304 when unchanged), so a new version is never hidden behind a cached one.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
