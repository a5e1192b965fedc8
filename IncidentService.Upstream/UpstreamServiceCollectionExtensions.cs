using System.Net;
using IncidentService.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly.Telemetry;

namespace IncidentService.Upstream;

public static class UpstreamServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="UpstreamClient"/> with its options and resilience. The caller registers the
    /// <see cref="UpstreamGate"/> (it owns the concurrency setting) and the <see cref="UpstreamConnection"/>, and,
    /// before this call, its <see cref="UpstreamHosting"/> (else <see cref="UpstreamHosting.SuppliedConnection"/>).
    /// </summary>
    public static IServiceCollection AddUpstreamClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UpstreamOptions>().Bind(configuration.GetSection(UpstreamOptions.SectionName)).ValidateOnStart();
        services.TryAddSingleton(UpstreamHosting.SuppliedConnection);
        services.AddSingleton<IValidateOptions<UpstreamOptions>, UpstreamOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<UpstreamOptions>>(sp => new UpstreamTimeoutDefaults(configuration, sp.GetRequiredService<UpstreamHosting>()));
        services.AddSingleton<IReadOnlyList<FeedDefinition>>(sp => FeedsFrom(sp.GetRequiredService<IOptions<UpstreamOptions>>().Value));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CircuitOpenReasons>();
        services.AddSingleton<AbandonedAttempts>();
        services.TryAddSingleton<IUpstreamAdmission, AlwaysAdmitted>();
        services.AddTransient<UpstreamGateHandler>();
        services.PostConfigure<TelemetryOptions>(ResilienceLogging.OneLinePerAttempt);

        var client = services
            .AddHttpClient<UpstreamClient>((sp, http) =>
            {
                var connection = sp.GetRequiredService<UpstreamConnection>();
                http.BaseAddress = connection.Root;
                http.DefaultRequestHeaders.Authorization = connection.Authorization;
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns every timeout
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            // The default HttpClient loggers redact header values in the message but not in the structured state, so
            // a structured sink (the JSON console) at Trace would write the Authorization header. The refresher and
            // the resilience pipeline log every failure already.
            .RemoveAllLoggers();

        client.AddStandardResilienceHandler()
            .Configure((resilience, sp) => UpstreamResilience.Tune(
                resilience,
                sp.GetRequiredService<IOptions<UpstreamOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<CircuitOpenReasons>()))
            // One pipeline, and so one circuit breaker, per feed: a failing feed must not cut off the healthy ones.
            .SelectPipelineBy(static _ => request => request.RequestUri?.AbsolutePath ?? "");

        // Added after the resilience handler, so it sits inside it and every attempt passes through the gate.
        client.AddHttpMessageHandler<UpstreamGateHandler>();
        return services;
    }

    private static List<FeedDefinition> FeedsFrom(UpstreamOptions options) =>
        FeedDefinition.Defaults
            .Select(feed => options.IdentityFields.TryGetValue(feed.Name, out var field) ? feed with { IdentityField = field } : feed)
            .ToList();
}
