using IncidentService.Simulator.Faults;
using Microsoft.Extensions.Logging;
using static IncidentService.Simulator.Faults.SimulatorFaultKind;

namespace IncidentService.Tests.Faults;

/// <summary>
/// A failing upstream fills the log with one line per failed attempt at most, and no stack traces: the refresher's
/// event 101 says which target failed and why, and the resilience pipeline's own lines carry no exception.
/// </summary>
public sealed class ResilienceLogTests
{
    [Theory]
    [InlineData(ConnectionReset)] // an exception on every attempt
    [InlineData(ServerError)] // a 500 on every attempt
    public async Task A_failing_target_logs_one_line_per_failed_attempt_at_most_and_no_stack_trace(SimulatorFaultKind kind)
    {
        await using var harness = new FaultHarness(settings: [("Upstream:MaxRetries", "2"), ("Upstream:RetryDelay", "00:00:00.001")]);
        await harness.StartAsync();
        harness.Logs.Clear();

        harness.Simulator.Faults.Set("probing", new SimulatorFault(kind));
        await harness.NextCycleAsync(pump: TimeSpan.FromMilliseconds(100));

        var logs = harness.Logs.GetSnapshot();
        var polly = logs.Where(l => l.Category == "Polly").ToList();
        // Every attempt is still reported (at Debug), and every attempt at probing failed: a 500, a reset, or the
        // circuit the first two opened refusing the third.
        var failedAttempts = polly.Count(l => l.Id.Id == 3 && l.Message.Contains("/incidents/probing/", StringComparison.Ordinal));
        Assert.InRange(failedAttempts, 2, 3);
        var loud = polly.Where(l => l.Level >= LogLevel.Warning).ToList();
        Assert.All(loud, l =>
        {
            Assert.Null(l.Exception);
            Assert.DoesNotContain('\n', l.Message);
        });
        Assert.InRange(loud.Count, 0, failedAttempts);
        Assert.All(polly, l => Assert.Null(l.Exception)); // not at a lower level either: Debug is a level an operator turns on

        var failures = logs.Where(l => l.Id.Id == 101).ToList();
        var failure = Assert.Single(failures);
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Contains("probing", failure.Message, StringComparison.Ordinal);
        Assert.Null(failure.Exception);

        // The retries are still counted.
        var metrics = await harness.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("resilience_polly_strategy_events_total{", StringComparison.Ordinal)
            && l.Contains("event_name=\"OnRetry\"", StringComparison.Ordinal) && l.Contains("/incidents/probing/", StringComparison.Ordinal));
    }
}
