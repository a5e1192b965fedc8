using IncidentService.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using Polly.Telemetry;

namespace IncidentService.Tests.Upstream;

/// <summary>The resilience pipeline's log: one line with the cause, never an exception's stack; per-attempt detail at Debug.</summary>
public sealed class ResilienceLoggingTests
{
    [Fact]
    public void A_logged_failure_is_one_line_with_its_innermost_cause_and_no_exception()
    {
        var collector = new FakeLogCollector();
        using var loggers = new LoggerFactory([new FakeLoggerProvider(collector)]);
        var telemetry = new TelemetryOptions { LoggerFactory = loggers };
        ResilienceLogging.OneLinePerAttempt(telemetry);
        var failure = new HttpRequestException("outer", new IOException("line one\nline two"));

        telemetry.LoggerFactory.CreateLogger("Polly").LogWarning(failure, "Retrying {Target}\nnow", "probing");
        telemetry.LoggerFactory.CreateLogger("Polly").LogWarning("Circuit opened");

        var records = collector.GetSnapshot();
        Assert.Equal("Retrying probing now (IOException: line one line two)", records[0].Message);
        Assert.Null(records[0].Exception);
        Assert.Equal("Circuit opened", records[1].Message);
        Assert.All(records, r => Assert.Equal("Polly", r.Category));
    }

    [Theory]
    [InlineData("ExecutionAttempt", ResilienceEventSeverity.Warning, ResilienceEventSeverity.Debug)]
    [InlineData("OnTimeout", ResilienceEventSeverity.Error, ResilienceEventSeverity.Debug)]
    [InlineData("OnRetry", ResilienceEventSeverity.Warning, ResilienceEventSeverity.Warning)]
    [InlineData("OnCircuitOpened", ResilienceEventSeverity.Error, ResilienceEventSeverity.Error)]
    public void Per_attempt_detail_is_debug_and_the_other_events_keep_their_severity(string name, ResilienceEventSeverity severity, ResilienceEventSeverity expected)
    {
        var telemetry = new TelemetryOptions();
        ResilienceLogging.OneLinePerAttempt(telemetry);
        var context = ResilienceContextPool.Shared.Get();

        var actual = telemetry.SeverityProvider!(new SeverityProviderArguments(new ResilienceTelemetrySource("p", "i", "s"), new ResilienceEvent(severity, name), context));

        Assert.Equal(expected, actual);
        ResilienceContextPool.Shared.Return(context);
    }

    [Fact]
    public void An_earlier_severity_rule_still_decides_the_other_events()
    {
        var telemetry = new TelemetryOptions { SeverityProvider = _ => ResilienceEventSeverity.Critical };
        ResilienceLogging.OneLinePerAttempt(telemetry);
        var context = ResilienceContextPool.Shared.Get();

        var actual = telemetry.SeverityProvider!(new SeverityProviderArguments(new ResilienceTelemetrySource("p", "i", "s"), new ResilienceEvent(ResilienceEventSeverity.Warning, "OnRetry"), context));

        Assert.Equal(ResilienceEventSeverity.Critical, actual);
        ResilienceContextPool.Shared.Return(context);
    }
}
