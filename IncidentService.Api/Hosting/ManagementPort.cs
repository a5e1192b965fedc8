using IncidentService.Api.Configuration;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Routing;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>
/// With <c>Management:Urls</c> set, Kestrel listens there too, and the probes and metrics are served there and only
/// there. Which port a request came in on is the connection's local port, never its <c>Host</c> header, which a client
/// of the API port could set to anything (and which a proxy or a Kubernetes service may rewrite on the way in).
/// </summary>
internal static class ManagementPort
{
    /// <summary>Marks the endpoints that belong on the management port.</summary>
    public static readonly ManagementEndpoint Metadata = new();

    /// <summary>Binds the management addresses beside the API's own (<c>Urls</c>), when they are configured.</summary>
    public static WebApplicationBuilder AddManagementPort(this WebApplicationBuilder builder)
    {
        // The API's own addresses as configured, before the management ones join them.
        var api = new ApiAddresses(ManagementOptions.Split(builder.Configuration[WebHostDefaults.ServerUrlsKey]) is { Length: > 0 } urls ? urls : [KestrelDefault]);
        builder.Services.AddSingleton(api);
        builder.Services.AddCheckedOptions<ManagementOptions, ManagementOptionsValidator>(builder.Configuration, ManagementOptions.SectionName);
        builder.Services.AddSingleton<ManagementPorts>();
        builder.Services.AddSingleton(sp => new RateLimitExemption(sp.GetRequiredService<ManagementPorts>().IsProbe));
        var management = ManagementOptions.Split(builder.Configuration[$"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Urls)}"]);
        if (management.Length > 0)
        {
            // An address the validator refuses stops the start before Kestrel would bind it.
            builder.WebHost.UseUrls([.. api.Urls, .. management]);
        }

        return builder;
    }

    /// <summary>Kestrel's own default; the service sets <c>Urls</c> (DefaultAddress) unless ports or endpoints are configured.</summary>
    private const string KestrelDefault = "http://localhost:5000";

    /// <summary>
    /// With a management port, answers 404 to a management endpoint asked on another port and to anything else asked
    /// on the management port, before the rate limit and authentication see the request.
    /// </summary>
    public static WebApplication UseManagementPort(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<ManagementPorts>();
        if (!ports.Separate)
        {
            return app;
        }

        app.Use((context, next) =>
        {
            var isManagementEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>() is not null;
            if (ports.Serves(context) != isManagementEndpoint)
            {
                context.SetEndpoint(null);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }
}

/// <summary>The API's own addresses (<c>Urls</c>), as configured.</summary>
internal sealed record ApiAddresses(IReadOnlyList<string> Urls);

/// <summary>The metadata of an endpoint that belongs on the management port.</summary>
internal sealed class ManagementEndpoint;

/// <summary>The management ports, read once from the validated options.</summary>
internal sealed class ManagementPorts(IOptions<ManagementOptions> options)
{
    private readonly HashSet<int> _ports = [.. options.Value.Addresses.Select(ManagementOptionsValidator.PortOf).OfType<int>()];

    public bool Separate => _ports.Count > 0;

    /// <summary>Whether the request came in on a management port.</summary>
    public bool Serves(HttpContext context) => _ports.Contains(context.Connection.LocalPort);

    /// <summary>
    /// The requests the rate limit lets through: the probes; on a management port, the metrics too (only the probes
    /// and the metrics are served there).
    /// </summary>
    public bool IsProbe(HttpContext context) =>
        Separate
            ? Serves(context)
            : context.Request.Path.StartsWithSegments(ServiceRoutes.Liveness) || context.Request.Path.StartsWithSegments(ServiceRoutes.Readiness);
}
