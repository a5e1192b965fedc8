using System.Net;
using IncidentService.Upstream;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Retry;

namespace IncidentService.Tests.Upstream;

/// <summary>The standard resilience handler follows the <c>Upstream</c> options, with the few fixed choices of the service.</summary>
public sealed class UpstreamResilienceTests
{
    private static readonly UpstreamOptions Options = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(7),
        TotalTimeout = TimeSpan.FromSeconds(20),
        MaxRetries = 3,
        RetryDelay = TimeSpan.FromMilliseconds(250),
        MaxRetryAfter = TimeSpan.FromSeconds(4),
        BreakDuration = TimeSpan.FromSeconds(12),
        BreakerSamplingDuration = TimeSpan.FromSeconds(45),
    };

    [Fact]
    public void Timeouts_retries_and_the_circuit_follow_the_options()
    {
        var resilience = Tuned(Options);

        Assert.Equal(TimeSpan.FromSeconds(20), resilience.TotalRequestTimeout.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(7), resilience.AttemptTimeout.Timeout);
        Assert.Equal(3, resilience.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), resilience.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(45), resilience.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(12), resilience.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Retries_back_off_exponentially_with_jitter_and_a_few_failures_in_half_the_attempts_open_the_circuit()
    {
        var resilience = Tuned(Options);

        Assert.Equal(DelayBackoffType.Exponential, resilience.Retry.BackoffType);
        Assert.True(resilience.Retry.UseJitter);
        Assert.False(resilience.Retry.ShouldRetryAfterHeader); // the delay generator honours it, capped
        Assert.Equal(3, resilience.CircuitBreaker.MinimumThroughput);
        Assert.Equal(0.5, resilience.CircuitBreaker.FailureRatio);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, 1, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 0, false)]
    [InlineData(HttpStatusCode.OK, 1, false)]
    public async Task No_retries_configured_means_no_answer_is_retried(HttpStatusCode status, int maxRetries, bool retried)
    {
        var resilience = Tuned(new UpstreamOptions { MaxRetries = maxRetries });
        var context = ResilienceContextPool.Shared.Get();
        using var answer = new HttpResponseMessage(status);

        var handled = await resilience.Retry.ShouldHandle(new RetryPredicateArguments<HttpResponseMessage>(context, Outcome.FromResult(answer), attemptNumber: 0));

        Assert.Equal(retried, handled);
        Assert.Equal(1, resilience.Retry.MaxRetryAttempts); // the standard handler's least; nothing is handled at 0
        ResilienceContextPool.Shared.Return(context);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(60, 4)]
    public async Task The_delay_before_a_retry_is_the_upstreams_retry_after_up_to_the_cap(int seconds, int expected)
    {
        var resilience = Tuned(Options);
        var context = ResilienceContextPool.Shared.Get();
        using var answer = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(seconds)) } };

        var delay = await resilience.Retry.DelayGenerator!(new RetryDelayGeneratorArguments<HttpResponseMessage>(context, Outcome.FromResult(answer), attemptNumber: 0));

        Assert.Equal(TimeSpan.FromSeconds(expected), delay);
        ResilienceContextPool.Shared.Return(context);
    }

    private static HttpStandardResilienceOptions Tuned(UpstreamOptions options)
    {
        var resilience = new HttpStandardResilienceOptions();
        UpstreamResilience.Tune(resilience, options, new FakeTimeProvider(), new CircuitOpenReasons());
        return resilience;
    }
}
