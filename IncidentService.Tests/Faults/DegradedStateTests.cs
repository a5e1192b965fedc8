using System.Net;
using IncidentService.Api.Web.Serving;
using IncidentService.Simulator.Faults;
using static IncidentService.Simulator.Faults.SimulatorFaultKind;

namespace IncidentService.Tests.Faults;

/// <summary>
/// Incomplete, stale and missing data: every answer says which it is, and readiness follows the age of the data
/// served, not of the last rebuild. Frozen clock; no upstream retries inside a fetch, so a failing cycle ends at once,
/// and no wait for a first snapshot, which the frozen clock would never end.
/// </summary>
public sealed class DegradedStateTests
{
    private static readonly string[] Feeds = ["denial", "intrusion", "executable", "misuse", "unauthorized", "probing", "other"];

    [Fact]
    public async Task A_cold_start_with_every_feed_failing_answers_503_and_unready_never_an_empty_200()
    {
        await using var harness = Harness(Feeds);
        await FirstCycleAsync(harness);

        await harness.NextCycleAsync();
        await harness.NextCycleAsync(); // past Refresh:ServeIncompleteAfter: still nothing to serve, as no feed ever answered

        using var incidents = await harness.Client.GetAsync(new Uri("/incidents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, incidents.StatusCode);
        Assert.Equal("application/problem+json", incidents.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(incidents.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await harness.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var status = await harness.StatusAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("snapshot").ValueKind);
        Assert.Contains("no feed has answered", status.GetProperty("waiting").GetString(), StringComparison.Ordinal);
        Assert.False(FaultHarness.Feed(status, "identities").GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task A_long_outage_of_every_feed_turns_readiness_off_while_the_last_data_is_still_served()
    {
        await using var harness = Harness([]);
        await harness.StartAsync();
        var before = await harness.IncidentsAsync();
        foreach (var feed in Feeds)
        {
            harness.Simulator.Faults.Set(feed, new SimulatorFault(ServerError));
        }

        // The limit is 3 intervals; the identities keep answering, so a rebuild happens every cycle.
        for (var cycle = 1; cycle <= 3; cycle++)
        {
            await harness.NextCycleAsync();
            Assert.Equal(HttpStatusCode.OK, (await harness.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        }

        await harness.NextCycleAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await harness.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        Assert.Equal(before, await harness.IncidentsAsync());
        var status = await harness.StatusAsync();
        Assert.Equal(120, status.GetProperty("snapshot").GetProperty("ageSeconds").GetDouble());
        Assert.Equal(harness.Start, status.GetProperty("snapshot").GetProperty("dataAsOf").GetDateTimeOffset());
        var ready = status.GetProperty("ready");
        Assert.False(ready.GetProperty("ready").GetBoolean());
        Assert.Contains("denial data is 120 s old", ready.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("identities", ready.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("httpstatus", FaultHarness.Feed(status, "denial").GetProperty("lastErrorKind").GetString());
    }

    [Fact]
    public async Task After_a_failed_start_data_is_served_at_the_first_retry_not_the_next_interval()
    {
        await using var harness = Harness(Feeds, ("Refresh:RetryBackoff", "00:00:02"));
        await FirstCycleAsync(harness);
        var retryAt = FaultHarness.Feed(await harness.StatusAsync(), "denial").GetProperty("retryAt").GetDateTimeOffset();
        Assert.Equal(harness.Start + TimeSpan.FromSeconds(2), retryAt);

        harness.Simulator.Faults.Clear();
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await Wait.UntilAsync(() => harness.Store.Current is not null);

        Assert.Equal(await harness.ExpectedAsync(), await harness.IncidentsAsync());
        Assert.Equal("retry", (await harness.StatusAsync()).GetProperty("lastCycle").GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.OK, (await harness.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_feed_that_never_answered_holds_the_first_snapshot_then_it_is_served_marked_incomplete_until_the_feed_answers()
    {
        await using var harness = Harness(["probing"]);
        await FirstCycleAsync(harness);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await harness.Client.GetAsync(new Uri("/incidents", UriKind.Relative))).StatusCode);
        Assert.Contains("probing", (await harness.StatusAsync()).GetProperty("waiting").GetString(), StringComparison.Ordinal);

        await harness.NextCycleAsync();
        Assert.Null(harness.Store.Current);
        await harness.NextCycleAsync(); // one minute after start: Refresh:ServeIncompleteAfter

        using var incomplete = await harness.Client.GetAsync(new Uri("/incidents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, incomplete.StatusCode);
        Assert.Equal("probing", Assert.Single(incomplete.Headers.GetValues(SnapshotAnswer.MissingFeedsHeader)));
        Assert.DoesNotContain("\"type\":\"probing\"", await incomplete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var snapshot = (await harness.StatusAsync()).GetProperty("snapshot");
        Assert.False(snapshot.GetProperty("complete").GetBoolean());
        Assert.Equal("probing", Assert.Single(snapshot.GetProperty("missingFeeds").EnumerateArray()).GetString());

        // The incomplete copy's tag must not validate the complete answer that follows.
        harness.Simulator.Faults.Clear();
        await harness.NextCycleAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/incidents", UriKind.Relative));
        request.Headers.IfNoneMatch.Add(incomplete.Headers.ETag!);
        using var complete = await harness.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.False(complete.Headers.Contains(SnapshotAnswer.MissingFeedsHeader));
        Assert.Equal(await harness.ExpectedAsync(), await complete.Content.ReadAsStringAsync());
    }

    private static FaultHarness Harness(string[] failing, params (string Key, string Value)[] settings) =>
        new(settings: [("Upstream:MaxRetries", "0"), ("Refresh:FirstSnapshotWait", "00:00:00"), .. failing.Select(feed => ($"Simulator:Faults:{feed}", nameof(ServerError))), .. settings]);

    /// <summary>Starts the host and waits for its first cycle, which (unlike <see cref="FaultHarness.StartAsync"/>) publishes nothing here.</summary>
    private static async Task FirstCycleAsync(FaultHarness harness)
    {
        _ = harness.Client;
        await Wait.UntilAsync(() => harness.Cycle >= 1);
    }
}
