using IncidentService.Api.Configuration;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Poller.Refresh;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Controllers;
using IncidentService.Api.Web.Queries;
using IncidentService.Api.Web.Serving;
using IncidentService.Simulator;
using IncidentService.Upstream;
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
        services.AddSingleton(sp => UpstreamHostingOf(sp.GetRequiredService<IHostEnvironment>(), configuration));
        services.AddTypeCheck<UpstreamOptions>(configuration, UpstreamOptions.SectionName);
        services.AddUpstreamClient(configuration);
        services.AddSingleton(sp => new UpstreamGate(sp.GetRequiredService<IOptions<RefreshOptions>>().Value.MaxConcurrency));
        services.AddUpstreamConnection(configuration);

        // What the web side derives from each installed snapshot, in this order: the views, then the served answers
        // (both ready before the snapshot is current), then the change stream that announces it.
        services.AddSingleton<SnapshotViews>();
        services.AddSingleton(sp => new ServedSnapshots(sp.GetRequiredService<TimeProvider>())
        {
            FirstSnapshotWait = sp.GetRequiredService<IOptions<RefreshOptions>>().Value.FirstSnapshotWait,
        });
        services.AddSingleton<ISnapshotListener>(sp => sp.GetRequiredService<SnapshotViews>());
        services.AddSingleton<ISnapshotListener>(sp => sp.GetRequiredService<ServedSnapshots>());
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<FeedBoard>();
        services.AddSingleton<IFeedStatus>(sp => sp.GetRequiredService<FeedBoard>());
        services.AddCluster(configuration);
        services.AddSingleton<IClusterStatus>(sp => sp.GetRequiredService<ClusterBoard>());
        services.AddHostedService<SnapshotRefresher>();
        // The warm start serves the stored snapshot from the first request on; everything else waits for the bind.
        services.StartAfterServer(ownServices, beforeServer: typeof(WarmStart));

        services.AddIncidentControllers();
        builder.AddLiveView();
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<SnapshotReadinessCheck>("snapshot", tags: [OperationsEndpoints.ReadyTag]);
        builder.AddLoggingDefaults();
        builder.AddTelemetry();
        builder.AddConnectionLimits();
        builder.AddInlineIo();
        builder.AddApiDocumentation();
        builder.AddAccessControl();
        builder.AddManagementPort();
        return builder;
    }

    /// <summary>
    /// Only Development may fall back to the simulator, so production can never serve simulated data; unset upstream
    /// timeouts follow <c>Refresh:Interval</c> (an unparsable interval is named by the type check; until then the
    /// default stands in).
    /// </summary>
    private static UpstreamHosting UpstreamHostingOf(IHostEnvironment environment, IConfiguration configuration) =>
        new(
            environment.EnvironmentName,
            FallbackAllowed: environment.IsDevelopment(),
            CallInterval: ConfigurationTypeCheck.TryGet<RefreshOptions>(configuration, RefreshOptions.SectionName)?.Interval ?? new RefreshOptions().Interval);

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

        // Outside Development, the Upstream validation stops startup before this simulator could serve anything.
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
        app.MapMetrics();
        app.UseLiveView();
        app.MapIncidentControllers();
        app.MapProbes();
        return app;
    }
}
