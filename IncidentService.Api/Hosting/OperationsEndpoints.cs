using IncidentService.Api.Telemetry;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Routing;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace IncidentService.Api.Hosting;

/// <summary>The probes and the scrape: read-only, on the management port when there is one.</summary>
internal static class OperationsEndpoints
{
    /// <summary>The tag of the health checks <c>/readyz</c> runs; <c>/healthz</c> runs none.</summary>
    public const string ReadyTag = "ready";

    /// <summary>For the probes and the scrape, which are read-only: any other method (TRACE above all) gets 405.</summary>
    private static readonly HttpMethodMetadata GetOrHead = new([HttpMethods.Get, HttpMethods.Head]);

    public static WebApplication MapMetrics(this WebApplication app)
    {
        // The gauges exist from the start: a scrape before the first cycle reads them empty, not missing.
        app.Services.GetRequiredService<ServiceGauges>();
        app.MapPrometheusScrapingEndpoint(ServiceRoutes.Metrics).WithMetadata(GetOrHead, ManagementPort.Metadata).DisableHttpMetrics()
            .RequireAuthorization(AccessPolicies.Metrics); // anonymous unless Auth:ProtectMetrics
        return app;
    }

    public static WebApplication MapProbes(this WebApplication app)
    {
        app.MapHealthChecks(ServiceRoutes.Liveness, new HealthCheckOptions { Predicate = _ => false }).WithMetadata(GetOrHead, ManagementPort.Metadata);
        app.MapHealthChecks(ServiceRoutes.Readiness, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).WithMetadata(GetOrHead, ManagementPort.Metadata);
        return app;
    }
}
