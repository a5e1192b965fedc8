using IncidentService.Simulator.Faults;


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
    /// When this side abandons an attempt (timeout, or an oversized body), the upstream is still busy with it. When the
    /// connection was closed at once and the slot freed a moment later (Upstream:AbandonedAttemptHold was a fixed 1 s),
    /// the upstream saw 4 and 5 requests at once against a bound of 3 here (StallMidBody and HugeBody, 2 cores): now the
    /// slot is kept until the upstream is done (an oversized body is read to its end). While a slot is taken that way
    /// another target's attempt may time out waiting for it, so HugeBody only has to show that its limit was hit.
    /// </summary>
    [Theory]
    [InlineData("Hang", "OnTimeout")]
    [InlineData("StallMidBody", "OnTimeout")]
    [InlineData("Slow:1000", "OnTimeout")]
    [InlineData("HugeBody", "MaxResponseBytes")]
    public async Task Aborted_attempts_stay_within_the_bound_at_the_upstream(string fault, string evidence)
    {
        await using var harness = new FaultHarness(frozenTime: false, settings: ShortTimeouts);
        await harness.StartAsync();
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.SetAll(SimulatorFault.Parse(fault));
        await harness.NextRealCycleAsync(DateTimeOffset.UtcNow);

        Assert.Contains(harness.Logs.GetSnapshot(), log => log.Message.Contains(evidence, StringComparison.Ordinal));
        Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
    }

    /// <summary>
    /// An upstream whose workers go on with a request after the client has gone (they do not notice the
    /// closed connection). Measured with every request hanging 120 s and the default settings: the upstream saw 8, then
    /// 11 requests at once against a bound of 3. Here every request hangs 4 s against a 0.5 s attempt timeout and the
    /// default Upstream:AbandonedAttemptHold; two cycles, so the second finds the first one's requests still there.
    /// </summary>
    [Fact]
    public async Task While_every_request_hangs_past_the_attempt_timeout_the_upstream_never_sees_more_than_the_bound()
    {
        await using var harness = new FaultHarness(frozenTime: false, settings: ShortTimeouts);
        await harness.StartAsync();
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.SetAll(SimulatorFault.Parse("HangIgnoringAbort:4"));
        await harness.NextRealCycleAsync(DateTimeOffset.UtcNow);
        await harness.NextRealCycleAsync(DateTimeOffset.UtcNow);

        Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
    }
}
