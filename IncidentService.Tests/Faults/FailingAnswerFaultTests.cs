using System.Text.Json;
using IncidentService.Simulator.Faults;
using static IncidentService.Simulator.Faults.SimulatorFaultKind;

namespace IncidentService.Tests.Faults;

/// <summary>
/// Faults that spoil a whole answer, on a frozen clock: the served bytes do not move while the upstream fails, a
/// failing target keeps its last good data while the others move on, and <c>/status</c> says which, since when and why.
/// </summary>
public sealed class FailingAnswerFaultTests
{
    private static readonly string[] Feeds = ["denial", "intrusion", "executable", "misuse", "unauthorized", "probing", "other"];

    /// <summary>Kind, what the feeds' lastError says, and whether the identities fail too.</summary>
    public static TheoryData<SimulatorFaultKind, string, bool> EveryTargetFaults => new()
    {
        { ServerError, "HTTP 500", true },
        { BadGateway, "HTTP 502", true },
        { Unavailable, "HTTP 503", true },
        { UnavailableRetryAfter, "HTTP 503", true },
        { TooManyRequests, "HTTP 429", true },
        { Unauthorized, "unauthorized", true },
        { Html, "not valid JSON", true },
        { TruncatedJson, "not valid JSON", true },
        { ResultsMissing, "without a 'results' property", false }, // the identities have no 'results' to miss
        { ResultsNotArray, "not an array", true },
        { HugeBody, "Upstream:MaxResponseBytes", true },
        { ConnectionReset, "network error", true },
    };

    [Theory]
    [MemberData(nameof(EveryTargetFaults))]
    public async Task While_every_target_fails_the_served_bytes_do_not_change_and_status_says_since_when_and_why(SimulatorFaultKind kind, string error, bool identitiesFail)
    {
        // No retries here, so the first failing cycle shows the failure itself; with retries, the attempts of one cycle
        // (after the earlier success) are enough to open the circuit, and lastError says "circuit open" (tested below).
        await using var harness = new FaultHarness(settings: ("Upstream:MaxRetries", "0"));
        await harness.StartAsync();
        var goodAt = harness.Time.GetUtcNow();
        var before = await harness.IncidentsAsync();
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.SetAll(new SimulatorFault(kind));
        var failedFrom = harness.Time.GetUtcNow() + harness.Interval;
        await harness.NextCycleAsync();
        var first = await harness.StatusAsync();
        Assert.Equal(before, await harness.IncidentsAsync());

        await harness.NextCycleAsync();
        var second = await harness.StatusAsync();
        Assert.Equal(before, await harness.IncidentsAsync());

        foreach (var name in Feeds)
        {
            var feed = FaultHarness.Feed(first, name);
            Assert.True(feed.GetProperty("stale").GetBoolean(), name);
            Assert.Contains(error, feed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.Equal(goodAt, feed.GetProperty("lastSuccess").GetDateTimeOffset());
            var since = feed.GetProperty("failingSince").GetDateTimeOffset();
            Assert.Equal(failedFrom, since);

            // A second failing cycle: still stale, and the run of failures still dates from its start.
            var later = FaultHarness.Feed(second, name);
            Assert.True(later.GetProperty("stale").GetBoolean(), name);
            Assert.Equal(since, later.GetProperty("failingSince").GetDateTimeOffset());
            Assert.Equal(goodAt, later.GetProperty("lastSuccess").GetDateTimeOffset());
        }

        var identities = FaultHarness.Feed(first, "identities");
        Assert.Equal(identitiesFail, identities.GetProperty("stale").GetBoolean());
        Assert.Equal(identitiesFail, identities.GetProperty("lastError").ValueKind == JsonValueKind.String);
        if (kind != HugeBody) // an aborted answer is a discipline question of its own: TimeoutFaultTests.Aborted_attempts_…
        {
            Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
        }
    }

    [Theory]
    [InlineData(ServerError, "probing")]
    [InlineData(TooManyRequests, "misuse")]
    [InlineData(Unauthorized, "denial")]
    [InlineData(Html, "other")]
    [InlineData(TruncatedJson, "intrusion")]
    [InlineData(ResultsMissing, "executable")]
    [InlineData(ResultsNotArray, "unauthorized")]
    [InlineData(HugeBody, "probing")]
    [InlineData(ConnectionReset, "other")]
    public async Task A_failing_feed_keeps_its_last_good_data_while_the_others_move_on(SimulatorFaultKind kind, string failing)
    {
        // No retries: a healthy cycle then needs no fake time beyond the tick, so the yardstick sees the same data window.
        await using var harness = new FaultHarness(settings: [("Upstream:MaxRetries", "0"), ("Refresh:Interval", "06:00:00")]);
        await harness.StartAsync();
        var before = FaultHarness.ByFeed(await harness.IncidentsAsync());
        harness.Simulator.ResetPeak();

        harness.Simulator.Faults.Set(failing, new SimulatorFault(kind));
        await harness.NextCycleAsync(); // six hours: long enough for every feed's data to change
        harness.Simulator.Faults.Clear();

        var served = FaultHarness.ByFeed(await harness.IncidentsAsync());
        var expected = FaultHarness.ByFeed(await harness.ExpectedAsync());
        Assert.Equal(before[failing], served[failing]);
        Assert.NotEqual(expected[failing], served[failing]); // what is kept really is the old answer
        foreach (var feed in Feeds.Where(f => f != failing))
        {
            Assert.Equal(expected[feed], served[feed]);
        }

        var status = await harness.StatusAsync();
        Assert.True(FaultHarness.Feed(status, failing).GetProperty("stale").GetBoolean());
        Assert.All(Feeds.Append("identities").Where(f => f != failing), f => Assert.False(FaultHarness.Feed(status, f).GetProperty("stale").GetBoolean(), f));
        Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
    }

    [Theory]
    [InlineData(ServerError)]
    [InlineData(Unauthorized)]
    [InlineData(Html)]
    [InlineData(TruncatedJson)]
    [InlineData(ResultsNotArray)]
    [InlineData(HugeBody)]
    [InlineData(ConnectionReset)]
    public async Task When_the_identities_fail_the_feeds_move_on_attributed_with_the_last_good_identities(SimulatorFaultKind kind)
    {
        await using var harness = new FaultHarness(settings: [("Upstream:MaxRetries", "0"), ("Refresh:Interval", "06:00:00")]);
        await harness.StartAsync();

        harness.Simulator.Faults.Set("identities", new SimulatorFault(kind));
        await harness.NextCycleAsync();
        harness.Simulator.Faults.Clear();

        // The simulator's identities never change, so the last good ones give exactly today's aggregation.
        Assert.Equal(await harness.ExpectedAsync(), await harness.IncidentsAsync());
        var identities = FaultHarness.Feed(await harness.StatusAsync(), "identities");
        Assert.True(identities.GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.String, identities.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task Unauthorized_is_not_retried_in_a_storm_and_says_so_plainly()
    {
        await using var harness = new FaultHarness();
        await harness.StartAsync();
        harness.Simulator.Faults.SetAll(new SimulatorFault(Unauthorized));

        for (var cycle = 0; cycle < 3; cycle++)
        {
            var requests = harness.Simulator.RequestCount;
            await harness.NextCycleAsync(); // no pumping: a retry would wait on the frozen clock and never end the cycle

            Assert.Equal(8, harness.Simulator.RequestCount - requests); // one request per target, every cycle
            var status = await harness.StatusAsync();
            Assert.All(Feeds.Append("identities"), f => Assert.StartsWith("unauthorized", FaultHarness.Feed(status, f).GetProperty("lastError").GetString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_circuit_opens_for_a_failing_feed_only_and_lets_a_probe_through_later()
    {
        await using var harness = new FaultHarness(settings: [("Upstream:RetryDelay", "00:00:00.001"), ("Upstream:BreakDuration", "00:00:50")]);
        await harness.StartAsync();
        harness.Simulator.Faults.Set("probing", new SimulatorFault(ServerError));

        // The earlier success and two failed attempts reach the breaker's minimum throughput at a 2/3 failure ratio:
        // the circuit opens, and the second retry is refused without reaching the upstream.
        Assert.Equal(7 + 2, await RequestsInCycleAsync(harness, TimeSpan.FromSeconds(30)));
        Assert.StartsWith("circuit open", await ErrorAsync(harness, "probing"), StringComparison.Ordinal);

        // Open: the feed is not called at all, the others are.
        Assert.Equal(7, await RequestsInCycleAsync(harness, TimeSpan.FromSeconds(30)));
        Assert.StartsWith("circuit open", await ErrorAsync(harness, "probing"), StringComparison.Ordinal);
        Assert.Null(await ErrorAsync(harness, "denial"));

        // 60 s after it opened, past the 50 s break, one probe goes through; it fails, so the circuit opens again
        // (and refuses the probe's retry).
        Assert.Equal(7 + 1, await RequestsInCycleAsync(harness, TimeSpan.FromSeconds(30)));
        Assert.StartsWith("circuit open", await ErrorAsync(harness, "probing"), StringComparison.Ordinal);
        Assert.Equal(7, await RequestsInCycleAsync(harness, TimeSpan.FromSeconds(30)));
        Assert.StartsWith("circuit open", await ErrorAsync(harness, "probing"), StringComparison.Ordinal);

        // The upstream recovers; while the circuit is open nothing is sent, then the next probe succeeds and the feed is served fresh again.
        harness.Simulator.Faults.Clear();
        Assert.Equal(8, await RequestsInCycleAsync(harness, TimeSpan.FromSeconds(30), pump: false));
        Assert.Null(await ErrorAsync(harness, "probing"));
        Assert.Equal(await harness.ExpectedAsync(), await harness.IncidentsAsync());
        Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
    }

    [Theory]
    [InlineData(1, "00:00:05", 1)] // honoured: the retry waits the upstream's second, not the 1 ms backoff
    [InlineData(3600, "00:00:02", 2)] // capped: an hour is cut to Upstream:MaxRetryAfter, well inside the total timeout
    public async Task Retry_after_is_honoured_but_capped(int retryAfterSeconds, string cap, int expectedWaitSeconds)
    {
        await using var harness = new FaultHarness(settings: [("Upstream:RetryDelay", "00:00:00.001"), ("Upstream:MaxRetries", "1"), ("Upstream:MaxRetryAfter", cap)]);
        await harness.StartAsync();
        harness.Simulator.Faults.Set("misuse", new SimulatorFault(TooManyRequests, RetryAfter: TimeSpan.FromSeconds(retryAfterSeconds)));

        Assert.Equal(7 + 2, await RequestsInCycleAsync(harness, TimeSpan.FromSeconds(30)));

        var misuse = FaultHarness.Feed(await harness.StatusAsync(), "misuse");
        Assert.Contains("HTTP 429", misuse.GetProperty("lastError").GetString(), StringComparison.Ordinal); // not "timed out"
        // Durations are measured on the fake clock, which only the harness moves (in 100 ms steps): deterministic.
        var waited = TimeSpan.FromMilliseconds(misuse.GetProperty("durationMs").GetDouble());
        Assert.InRange(waited, TimeSpan.FromSeconds(expectedWaitSeconds), TimeSpan.FromSeconds(expectedWaitSeconds + 1));
    }

    private static async Task<long> RequestsInCycleAsync(FaultHarness harness, TimeSpan advance, bool pump = true)
    {
        var requests = harness.Simulator.RequestCount;
        await harness.NextCycleAsync(advance, pump ? TimeSpan.FromMilliseconds(100) : null);
        return harness.Simulator.RequestCount - requests;
    }

    private static async Task<string?> ErrorAsync(FaultHarness harness, string feed) =>
        FaultHarness.Feed(await harness.StatusAsync(), feed).GetProperty("lastError").GetString();
}
