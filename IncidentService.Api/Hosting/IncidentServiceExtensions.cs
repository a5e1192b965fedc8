using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Poller.Refresh;
using IncidentService.Api.Telemetry;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Controllers;
using IncidentService.Api.Web.Queries;
using IncidentService.Simulator;
using IncidentService.Upstream;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

internal static class IncidentServiceExtensions
{
    public static WebApplicationBuilder AddIncidentService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        builder.UseDefaultAddress();
        builder.AddListenFailureExit();
        var ownServices = services.Count;
        services.TryAddSingleton(TimeProvider.System);

        services.AddCheckedOptions<RefreshOptions, RefreshOptionsValidator>(configuration, RefreshOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RefreshOptions>>().Value.ToPolicy());
        services.AddSingleton<IValidateOptions<UpstreamOptions>, UpstreamTargetValidator>();
        services.AddTypeCheck<UpstreamOptions>(configuration, UpstreamOptions.SectionName);
        services.AddUpstreamClient(configuration);
        services.AddSingleton<IPostConfigureOptions<UpstreamOptions>, UpstreamTimeoutDefaults>();
        services.AddSingleton(sp => new UpstreamGate(sp.GetRequiredService<IOptions<RefreshOptions>>().Value.MaxConcurrency));
        services.AddUpstreamConnection(configuration);

        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<FeedBoard>();
        services.AddCluster(configuration);
        services.AddSingleton<SnapshotViews>();
        services.AddHostedService<SnapshotRefresher>();
        // The warm start serves the stored snapshot from the first request on; everything else waits for the bind.
        services.StartAfterServer(ownServices, beforeServer: typeof(WarmStart));

        services.AddIncidentControllers();
        builder.AddLiveView();
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<SnapshotReadinessCheck>("snapshot", tags: ["ready"]);
        builder.AddLoggingDefaults();
        builder.AddTelemetry();
        builder.AddConnectionLimits();
        builder.AddInlineIo();
        builder.AddApiDocumentation();
        builder.AddAccessControl();
        builder.AddManagementPort();
        return builder;
    }

    /// <summary>Configured upstream, or (Development with no BaseUrl) the embedded simulator, started after the server and before the refresher.</summary>
    private static void AddUpstreamConnection(this IServiceCollection services, ConfigurationManager configuration)
    {
        // Read as text: binding the section here would throw on an unparsable value before validation can name it.
        if (!string.IsNullOrEmpty(configuration[$"{UpstreamOptions.SectionName}:{nameof(UpstreamOptions.BaseUrl)}"]))
        {
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<UpstreamOptions>>().Value;
                return new UpstreamConnection(options.BaseUrl!, options.Username!, options.Password!, IsSimulator: false);
            });
            return;
        }

        // Outside Development, UpstreamTargetValidator stops startup before this simulator could serve anything.
        services.AddCheckedOptions<SimulatorOptions>(configuration, SimulatorOptions.SectionName);
        services.AddSingleton<EmbeddedUpstream>();
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedUpstream>());
        services.AddSingleton(sp => sp.GetRequiredService<EmbeddedUpstream>().Connection);
    }

    public static WebApplication MapIncidentService(this WebApplication app)
    {
        app.WarnAboutUnknownKeys();
        app.LogConnectionLimits();
        app.LogInlineIo();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseManagementPort();
        app.UseAccessControl();
        app.MapApiDocumentation();
        app.MapTelemetry();
        app.UseLiveView();
        app.MapIncidentControllers();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(TelemetryExtensions.GetOrHead, ManagementPort.Metadata);
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).WithMetadata(TelemetryExtensions.GetOrHead, ManagementPort.Metadata);
        return app;
    }
}
