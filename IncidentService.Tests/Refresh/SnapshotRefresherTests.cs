using System.Text.Json;
using Microsoft.Extensions.Logging.Testing;

namespace IncidentService.Tests.Refresh;

public sealed class SnapshotRefresherTests
{
    [Fact]
    public async Task A_cycle_publishes_a_snapshot_of_every_feed_and_marks_them_fresh()
    {
        await using var harness = new RefresherHarness(new FakeUpstream().Handler);

        await harness.Refresher.RunCycleAsync(CancellationToken.None);

        var snapshot = Assert.IsType<IncidentService.Core.Snapshots.IncidentSnapshot>(harness.Store.Current);
        Assert.Equal(8, snapshot.Counts.Incidents); // 7 feeds + the second "other" item naming an IP
        Assert.Equal(8, harness.Board.States.Count);
        Assert.All(harness.Board.States.Values, s => Assert.False(s.Stale));
    }

    [Fact]
    public async Task A_failing_feed_keeps_its_last_good_data_while_others_move_on()
    {
        var upstream = new FakeUpstream();
        await using var harness = new RefresherHarness(upstream.Handler);
        await harness.Refresher.RunCycleAsync(CancellationToken.None);
        var before = Incidents(harness, "misuse");

        upstream.Failing.Add("misuse");
        upstream.Timestamp = 2000;
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.Refresher.RunCycleAsync(CancellationToken.None);

        Assert.Equal(before, Incidents(harness, "misuse"));
        Assert.Contains("2000", Incidents(harness, "denial"), StringComparison.Ordinal);
        var misuse = harness.Board.Get("misuse");
        Assert.True(misuse.Stale);
        Assert.NotNull(misuse.LastError); // HTTP 500, or the circuit the 500s opened
        Assert.Equal(harness.Time.GetUtcNow().AddSeconds(-30), misuse.LastSuccess);
        Assert.Equal(harness.Time.GetUtcNow(), misuse.FailingSince);
        Assert.False(harness.Board.Get("denial").Stale);
    }

    [Fact]
    public async Task When_every_target_fails_the_served_snapshot_does_not_change()
    {
        var upstream = new FakeUpstream();
        await using var harness = new RefresherHarness(upstream.Handler);
        await harness.Refresher.RunCycleAsync(CancellationToken.None);
        var before = harness.Store.Current!;

        upstream.FailEverything = true;
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.Refresher.RunCycleAsync(CancellationToken.None);

        Assert.Same(before, harness.Store.Current);
        Assert.All(harness.Board.States.Values, s => Assert.True(s.Stale));
    }

    [Fact]
    public async Task A_cycle_bringing_the_same_data_keeps_the_snapshot_and_its_compressed_answers_and_says_so()
    {
        var logger = new FakeLogger<IncidentService.Api.Poller.Refresh.SnapshotRefresher>();
        await using var harness = new RefresherHarness(new FakeUpstream().Handler, logger: logger);
        await harness.Refresher.RunCycleAsync(CancellationToken.None);
        var before = harness.Served.Served!;

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.Refresher.RunCycleAsync(CancellationToken.None);

        var after = harness.Served.Served!;
        Assert.Same(before.Snapshot.Json, after.Snapshot.Json);
        Assert.Same(before.All, after.All); // not compressed again
        Assert.Equal(harness.Time.GetUtcNow(), after.Snapshot.DataAsOf); // the data is as young as the answers
        var cycles = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 100).Select(r => r.Message).ToList();
        Assert.Contains("snapshot rebuilt", cycles[0], StringComparison.Ordinal);
        Assert.Contains("snapshot kept (inputs unchanged)", cycles[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_snapshot_is_published_before_the_identities_ever_answered()
    {
        var upstream = new FakeUpstream();
        upstream.Failing.Add("identities");
        await using var harness = new RefresherHarness(upstream.Handler);

        await harness.Refresher.RunCycleAsync(CancellationToken.None);

        Assert.Null(harness.Store.Current);
        Assert.False(harness.Board.Get("probing").Stale);
        Assert.True(harness.Board.Get("identities").Stale);
    }

    [Fact]
    public async Task A_poisoned_identities_entry_at_a_cold_start_costs_that_entry_only()
    {
        var upstream = new FakeUpstream();
        upstream.Bodies["identities"] = """{"10.0.0.1": 7, "10.0.0.\ud800": 9, "10.0.0.2": 8}""";
        upstream.Bodies["misuse"] = """{"results":[{"priority":"medium","employee_id":8,"timestamp":1.4},{"priority":"low","employee_id":8,"timestamp":1.5,"type":"spoofed"}]}""";
        await using var harness = new RefresherHarness(upstream.Handler);

        await harness.Refresher.RunCycleAsync(CancellationToken.None);

        Assert.NotNull(harness.Store.Current);
        Assert.Equal(8, harness.Store.Current.Counts.Incidents); // both IPs still resolve; the spoofed item is the one lost
        Assert.Equal(1, harness.Board.Get("identities").Malformed["identity-entry-invalid"]);
        Assert.Equal(1, harness.Board.Get("misuse").Malformed["type-reserved"]);
        Assert.DoesNotContain("spoofed", System.Text.Encoding.UTF8.GetString(harness.Store.Current.Json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:30", "00:00:02", "00:00:02")]
    [InlineData("00:00:05", "00:00:02", "00:00:01.25")] // 2.5 steps is no step: the next count that divides the interval
    [InlineData("00:00:30", "00:00:30", "00:00:30")] // retries on the regular beat only
    [InlineData("00:00:01", "00:00:02", "00:00:01")]
    public void The_heartbeat_divides_the_interval_in_steps_no_longer_than_the_retry_backoff(string interval, string backoff, string expected)
    {
        var policy = new IncidentService.Core.Ledger.RefreshPolicy(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Parse(backoff, System.Globalization.CultureInfo.InvariantCulture), 3, TimeSpan.Zero, 0.5, TimeSpan.Zero);

        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), IncidentService.Api.Poller.Refresh.SnapshotRefresher.Heartbeat(policy));
    }

    [Fact]
    public async Task Upstream_requests_in_flight_stay_within_max_concurrency()
    {
        var upstream = new FakeUpstream { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var harness = new RefresherHarness(upstream.Handler, maxConcurrency: 2);

        var cycle = harness.Refresher.RunCycleAsync(CancellationToken.None);
        await Wait.UntilAsync(() => upstream.Handler.InFlight == 2);
        upstream.Gate.SetResult();
        await cycle;

        Assert.Equal(2, upstream.Handler.Peak);
        Assert.Equal(8, upstream.Handler.Requests.Count);
    }

    [Fact]
    public async Task Cycles_never_overlap_however_long_one_takes()
    {
        var upstream = new FakeUpstream { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var harness = new RefresherHarness(upstream.Handler);
        await harness.Refresher.StartAsync(CancellationToken.None);
        await Wait.UntilAsync(() => upstream.Handler.InFlight == 3);

        for (var i = 0; i < 5; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(3, upstream.Handler.Requests.Count);
        upstream.Gate.SetResult();
        await Wait.UntilAsync(() => harness.Board.LastCycle?.Number == 2);
        Assert.Equal(16, upstream.Handler.Requests.Count); // the overdue ticks collapsed into one more cycle
        Assert.Equal(3, upstream.Handler.Peak);
        await harness.Refresher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stopping_is_prompt_and_the_calls_left_at_the_upstream_end_with_the_host()
    {
        var upstream = new FakeUpstream { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var harness = new RefresherHarness(upstream.Handler);
        await harness.Refresher.StartAsync(CancellationToken.None);
        await Wait.UntilAsync(() => upstream.Handler.InFlight == 3);

        await harness.Refresher.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(harness.Refresher.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(3, upstream.Handler.InFlight); // given up on, not cut off: the upstream may still be working on them
        await harness.Provider.DisposeAsync();
        await Wait.UntilAsync(() => upstream.Handler.InFlight == 0);
    }

    private static string Incidents(RefresherHarness harness, string feed)
    {
        var all = JsonDocument.Parse(harness.Store.Current!.Json).RootElement;
        return string.Join(",", all.EnumerateObject()
            .SelectMany(e => e.Value.EnumerateObject())
            .SelectMany(p => p.Value.GetProperty("incidents").EnumerateArray())
            .Where(i => i.GetProperty("type").GetString() == feed)
            .Select(i => i.GetRawText()));
    }
}
