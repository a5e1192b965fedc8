using System.Net;
using IncidentService.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
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
            .Configure((resilience, sp) => Tune(
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

    internal static void Tune(HttpStandardResilienceOptions resilience, UpstreamOptions options, TimeProvider time, CircuitOpenReasons reasons)
    {
        resilience.TotalRequestTimeout.Timeout = options.TotalTimeout;
        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;

        // The standard handler insists on at least one retry; Upstream:MaxRetries 0 (allowed) means none: handle nothing.
        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
        if (options.MaxRetries == 0)
        {
            resilience.Retry.ShouldHandle = static _ => PredicateResult.False();
        }

        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.ShouldRetryAfterHeader = false; // honoured below, but capped
        resilience.Retry.DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter, time));

        resilience.CircuitBreaker.SamplingDuration = options.BreakerSamplingDuration;
        resilience.CircuitBreaker.MinimumThroughput = 3; // a few failed attempts in one cycle are enough to open
        resilience.CircuitBreaker.FailureRatio = 0.5;
        resilience.CircuitBreaker.BreakDuration = options.BreakDuration;
        resilience.CircuitBreaker.OnOpened = args =>
        {
            if (args.Context.GetRequestMessage()?.RequestUri is { } uri)
            {
                reasons.Record(uri.AbsolutePath, args.Outcome);
            }

            return ValueTask.CompletedTask;
        };
    }

    /// <summary>The upstream's <c>Retry-After</c>, cut to <paramref name="cap"/>; null lets the jittered backoff decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        if (wait is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;
    }

    private static List<FeedDefinition> FeedsFrom(UpstreamOptions options) =>
        FeedDefinition.Defaults
            .Select(feed => options.IdentityFields.TryGetValue(feed.Name, out var field) ? feed with { IdentityField = field } : feed)
            .ToList();
}
