using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace IncidentService.Upstream;

/// <summary>The standard resilience handler set to the <c>Upstream</c> options: timeouts, retries and a circuit per feed.</summary>
internal static class UpstreamResilience
{
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
}
