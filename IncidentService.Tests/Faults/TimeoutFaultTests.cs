using IncidentService.Simulator;

namespace IncidentService.Tests.Faults;

/// <summary>
/// Faults that only a clock can end (Hang, StallMidBody, Slow), on the real clock: small timeouts, a short interval,
/// cycles awaited by condition. The upstream's own count of requests in flight must stay within the bound.
/// </summary>
[Collection(nameof(RealClockRunsAlone))]
public sealed class TimeoutFaultTests
{
    private static readonly (string, string)[] ShortTimeouts =
    [
        // Small, but not so small that a busy 2-core machine times out a healthy call; a short break so that one
        // unlucky cycle does not keep a circuit open for the rest of the test.
        ("Upstream:AttemptTimeout", "00:00:00.5"),
        ("Upstream:TotalTimeout", "00:00:02"),
        ("Upstream:BreakerSamplingDuration", "00:00:05"),
        ("Upstream:BreakDuration", "00:00:01"),
        ("Upstream:RetryDelay", "00:00:00.01"),
        ("Upstream:AbandonedAttemptHold", "00:00:00.2"),
        ("Refresh:Interval", "00:00:03"),
        ("Simulator:LatencyScale", "0.02"), // 30 ms a feed: Slow:1000 is 30 s, far past the attempt timeout
    ];

    private static readonly string[] Targets = ["denial", "executable", "identities", "intrusion", "misuse", "other", "probing", "unauthorized"];

    [Theory]
    [InlineData("Hang")]
    [InlineData("StallMidBody")]
    [InlineData("Slow:1000")]
    public async Task When_every_target_stops_answering_each_call_times_out_and_the_served_bytes_do_not_change(string fault)
    {
        await using var harness = new FaultHarness(frozenTime: false, settings: ShortTimeouts);
        await harness.StartAsync();
        var before = await harness.IncidentsAsync();
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.SetAll(SimulatorFault.Parse(fault));
        await harness.NextRealCycleAsync(DateTimeOffset.UtcNow);

        Assert.Equal(before, await harness.IncidentsAsync());
        var status = await harness.StatusAsync();
        var errors = Targets.Select(t => FaultHarness.Feed(status, t).GetProperty("lastError").GetString()).ToList();
        Assert.All(errors, e => Assert.Matches("^(timed out|circuit open)", e));
        // The first attempts time out; the breaker then opens and says so instead (see the circuit test).
        Assert.Contains(harness.Logs.GetSnapshot(), log => log.Message.Contains("OnTimeout", StringComparison.Ordinal));
        // The upstream's peak in flight after aborted attempts: see Aborted_attempts_stay_within_the_bound_at_the_upstream.
    }

    [Theory]
    [InlineData("Hang")]
    [InlineData("StallMidBody")]
    public async Task A_hanging_feed_times_out_alone_and_keeps_its_last_good_data(string fault)
    {
        await using var harness = new FaultHarness(frozenTime: false, settings: ShortTimeouts);
        await harness.StartAsync();
        var before = FaultHarness.ByFeed(await harness.IncidentsAsync());
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.Set("intrusion", SimulatorFault.Parse(fault));
        var after = DateTimeOffset.UtcNow;
        await harness.NextRealCycleAsync(after);

        Assert.Equal(before["intrusion"], FaultHarness.ByFeed(await harness.IncidentsAsync())["intrusion"]);
        var status = await harness.StatusAsync();
        var intrusion = FaultHarness.Feed(status, "intrusion");
        Assert.True(intrusion.GetProperty("stale").GetBoolean());
        Assert.Matches("^(timed out|circuit open)", intrusion.GetProperty("lastError").GetString());
        Assert.All(Targets.Where(t => t != "intrusion"), t =>
        {
            var feed = FaultHarness.Feed(status, t);
            Assert.False(feed.GetProperty("stale").GetBoolean(), t);
            Assert.True(feed.GetProperty("lastSuccess").GetDateTimeOffset() >= after, t);
        });
    }

    [Fact]
    public async Task A_slow_upstream_within_the_attempt_timeout_is_simply_waited_for()
    {
        await using var harness = new FaultHarness(frozenTime: false, settings: ShortTimeouts);
        await harness.StartAsync();
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.SetAll(SimulatorFault.Parse("Slow:2"));
        await harness.NextRealCycleAsync(DateTimeOffset.UtcNow);

        var status = await harness.StatusAsync();
        Assert.All(Targets, t => Assert.False(FaultHarness.Feed(status, t).GetProperty("stale").GetBoolean(), t));
        Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
    }

    /// <summary>
    /// When this side abandons an attempt (timeout, or an oversized body), the upstream is still busy with it until it
    /// notices the closed connection. Without Upstream:AbandonedAttemptHold the next attempt arrived first and the
    /// upstream saw 4 and 5 requests at once against a bound of 3 (StallMidBody and HugeBody, 2 cores).
    /// </summary>
    [Theory]
    [InlineData("Hang", true)]
    [InlineData("StallMidBody", true)]
    [InlineData("Slow:1000", true)]
    [InlineData("HugeBody", false)]
    public async Task Aborted_attempts_stay_within_the_bound_at_the_upstream(string fault, bool timesOut)
    {
        await using var harness = new FaultHarness(frozenTime: false, settings: ShortTimeouts);
        await harness.StartAsync();
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.SetAll(SimulatorFault.Parse(fault));
        await harness.NextRealCycleAsync(DateTimeOffset.UtcNow);

        Assert.Equal(timesOut, harness.Logs.GetSnapshot().Any(log => log.Message.Contains("OnTimeout", StringComparison.Ordinal)));
        Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
    }
}
