using System.Net;
using IncidentService.Api.Web.Serving;
using IncidentService.Simulator.Faults;
using static IncidentService.Simulator.Faults.SimulatorFaultKind;

namespace IncidentService.Tests.Faults;

/// <summary>
/// An answer whose envelope names <c>results</c> twice (all the items, then none) fails as a whole: it neither empties
/// the feed nor passes for a good answer.
/// </summary>
public sealed class EnvelopeFaultTests
{
    [Fact]
    public async Task A_feed_answering_results_twice_keeps_its_last_good_answer_and_status_says_why()
    {
        await using var harness = new FaultHarness(settings: ("Upstream:MaxRetries", "0"));
        await harness.StartAsync();
        var before = await harness.IncidentsAsync();
        var items = FaultHarness.Feed(await harness.StatusAsync(), "denial").GetProperty("items").GetInt32();

        harness.Simulator.Faults.Set("denial", new SimulatorFault(ResultsTwice));
        await harness.NextCycleAsync();

        var status = await harness.StatusAsync();
        var denial = FaultHarness.Feed(status, "denial");
        Assert.Equal(before, await harness.IncidentsAsync());
        Assert.True(items > 0);
        Assert.Equal(items, denial.GetProperty("items").GetInt32());
        Assert.True(denial.GetProperty("stale").GetBoolean());
        Assert.Equal("badbody", denial.GetProperty("lastErrorKind").GetString());
        Assert.Contains("'results' named twice", denial.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(status.GetProperty("snapshot").GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task A_feed_that_only_ever_answered_results_twice_leaves_the_snapshot_incomplete()
    {
        await using var harness = new FaultHarness(settings:
            [("Upstream:MaxRetries", "0"), ("Refresh:FirstSnapshotWait", "00:00:00"), ("Simulator:Faults:probing", nameof(ResultsTwice))]);
        _ = harness.Client;
        await Wait.UntilAsync(() => harness.Cycle >= 1);
        await harness.NextCycleAsync();
        await harness.NextCycleAsync(); // one minute after start: Refresh:ServeIncompleteAfter

        using var answer = await harness.Client.GetAsync(new Uri("/incidents", UriKind.Relative));
        var status = await harness.StatusAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("probing", Assert.Single(answer.Headers.GetValues(SnapshotAnswer.MissingFeedsHeader)));
        Assert.False(status.GetProperty("snapshot").GetProperty("complete").GetBoolean());
        Assert.Equal("badbody", FaultHarness.Feed(status, "probing").GetProperty("lastErrorKind").GetString());
    }
}
