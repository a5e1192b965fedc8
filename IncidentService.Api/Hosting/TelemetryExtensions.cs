using IncidentService.Api.Poller.Refresh;
using IncidentService.Api.Telemetry;
using IncidentService.Api.Web.Queries;
using IncidentService.Api.Web.Routing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IncidentService.Api.Hosting;

internal static class TelemetryExtensions
{
    /// <summary>
    /// Metrics for Prometheus at <c>/metrics</c>; traces exported over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; logs as JSON with trace ids outside Development.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IncidentMetrics>();
        builder.Services.AddSingleton<IRefreshObserver, RefreshMetrics>();
        builder.Services.AddSingleton<IPriorityCounts>(sp => sp.GetRequiredService<SnapshotViews>());
        builder.Services.AddSingleton<ServiceGauges>();
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; // no trailing space: it would end up inside the JSON string
            });
        }

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("incident-service"))
            .WithMetrics(metrics => metrics
                .AddMeter(IncidentMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Polly")
                // kestrel.rejected_connections counts the connections refused past the limit (ConnectionLimits); the
                // ASP.NET Core instrumentation adds this meter today, named here so the count cannot vanish with it.
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
                // promtool's lint: "_count" belongs to histograms and summaries, durations to seconds. Rename the
                // runtime's three counts; drop Polly's millisecond histograms, which repeat the seconds-based
                // incidents.upstream.request.duration (per fetch) and http.client.request.duration (per attempt).
                .AddView("dotnet.assembly.count", "dotnet.assemblies")
                .AddView("dotnet.process.cpu.count", "dotnet.process.cpus")
                .AddView("dotnet.timer.count", "dotnet.timers")
                .AddView("resilience.polly.pipeline.duration", MetricStreamConfiguration.Drop)
                .AddView("resilience.polly.strategy.attempt.duration", MetricStreamConfiguration.Drop)
                // Kestrel's pool counts every 4 KiB block rented and returned (twelve per gzip answer while bodies went
                // through its blocks: 4 % of the answer's CPU; docs/perf.md), for figures nothing reads.
                .AddView("aspnetcore.memory_pool.*", MetricStreamConfiguration.Drop)
                // Per request, and each repeats the request metrics: a rate-limit lease is held for exactly the request
                // (http.server.active_requests, http.server.request.duration), and every route match is a request with
                // its http_route. About 1 % of a gzip answer's CPU; aspnetcore.rate_limiting.requests (let through or
                // refused) stays.
                .AddView("aspnetcore.rate_limiting.active_request_leases", MetricStreamConfiguration.Drop)
                .AddView("aspnetcore.rate_limiting.request_lease.duration", MetricStreamConfiguration.Drop)
                .AddView("aspnetcore.routing.match_attempts", MetricStreamConfiguration.Drop)
                // Every scrape reads the live values: a cached scrape would lie to a test that just changed something.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(IncidentTracing.SourceName)
                    .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = (activity, request) =>
                        activity.SetTag("incidents.feed", FeedOf(request.RequestUri)));
                if (otlp)
                {
                    // Request spans only when something receives them: recorded and tagged on every request with no
                    // exporter, they were pure cost on the 304 path (docs/perf.md). Request log lines keep their trace
                    // ids either way: ASP.NET Core starts the request's Activity itself while logging is on.
                    tracing
                        .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !IsOwnPlumbing(context.Request.Path))
                        .AddOtlpExporter();
                }
            });
        return builder;
    }

    private static bool IsOwnPlumbing(PathString path) =>
        path.StartsWithSegments(ServiceRoutes.Metrics) || path.StartsWithSegments(ServiceRoutes.Liveness) || path.StartsWithSegments(ServiceRoutes.Readiness);

    /// <summary><c>/incidents/probing/</c> → probing, <c>/identities/</c> → identities.</summary>
    private static string FeedOf(Uri? uri) => uri?.Segments is [.., var last] ? last.TrimEnd('/') : "";
}
