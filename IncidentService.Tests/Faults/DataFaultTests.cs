using System.Text;
using System.Text.Json;
using IncidentService.Api.Poller.Refresh;
using IncidentService.Simulator.Faults;
using IncidentService.Tests.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static IncidentService.Simulator.Faults.SimulatorFaultKind;

namespace IncidentService.Tests.Faults;

/// <summary>Bad items, doubted identities, secrets echoed by the upstream, and shutdown while everything hangs.</summary>
public sealed class DataFaultTests
{
    [Theory]
    [InlineData(UnknownPriority, "denial", "priority-unknown", true)]
    [InlineData(TimestampAsString, "probing", "timestamp-not-a-number", true)]
    [InlineData(WrongShapeItems, "other", "not-an-object", false)]
    public async Task Malformed_items_are_skipped_and_counted_without_discarding_their_good_neighbours(SimulatorFaultKind kind, string feed, string reason, bool exact)
    {
        await using var harness = new FaultHarness();
        await harness.StartAsync();

        harness.Simulator.Faults.Set(feed, new SimulatorFault(kind));
        await harness.NextCycleAsync();
        harness.Simulator.Faults.Clear();

        var expected = FaultHarness.ByFeed(await harness.ExpectedAsync());
        var served = FaultHarness.ByFeed(await harness.IncidentsAsync());
        var status = await harness.StatusAsync();
        var feedStatus = FaultHarness.Feed(status, feed);
        var malformed = feedStatus.GetProperty("malformed").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var skipped = malformed.Values.Sum();
        var good = expected[feed].Split('\n');
        var kept = served[feed].Split('\n');

        Assert.False(feedStatus.GetProperty("stale").GetBoolean());
        Assert.True(malformed.GetValueOrDefault(reason) > 0, $"{reason} counted");
        Assert.Subset(good.ToHashSet(), kept.ToHashSet()); // what is kept is byte-identical to the unfaulted answer
        Assert.InRange(kept.Length, good.Length * 8 / 10, good.Length - 1); // every 10th item is broken, the rest stays
        if (exact)
        {
            Assert.Equal(good.Length, kept.Length + skipped);
        }

        Assert.Equal(skipped, status.GetProperty("snapshot").GetProperty("malformed").GetInt32());
        foreach (var other in expected.Keys.Where(f => f != feed))
        {
            Assert.Equal(expected[other], served[other]);
            Assert.Empty(FaultHarness.Feed(status, other).GetProperty("malformed").EnumerateObject());
        }
    }

    [Fact]
    public async Task Identities_entries_that_are_not_ip_to_employee_are_skipped_and_counted()
    {
        await using var harness = new FaultHarness();
        await harness.StartAsync();

        harness.Simulator.Faults.Set("identities", new SimulatorFault(WrongShapeItems));
        await harness.NextCycleAsync();

        var identities = FaultHarness.Feed(await harness.StatusAsync(), "identities");
        Assert.False(identities.GetProperty("stale").GetBoolean());
        Assert.True(identities.GetProperty("malformed").GetProperty("identity-entry-invalid").GetInt32() > 0);
        Assert.True(identities.GetProperty("items").GetInt32() > 4000);
    }

    [Theory]
    [InlineData("IdentitiesEmpty")]
    [InlineData("IdentitiesShrunk:0.1")]
    public async Task Shrunk_identities_keep_earlier_mappings_for_a_bounded_time_and_resolving_ips_resolve_at_the_next_cycle(string fault)
    {
        // Cycles 6 minutes apart, mappings kept for 10: a doubted answer is topped up once, then becomes the truth.
        await using var harness = new FaultHarness(settings: [("Refresh:IdentityRetention", "00:10:00"), ("Refresh:Interval", "00:06:00")]);
        await harness.StartAsync();
        var unresolvedBefore = await UnresolvedAsync(harness);

        // Doubted: the IP incidents stay attributed, and the identities entry says why.
        harness.Simulator.Faults.Set("identities", SimulatorFault.Parse(fault));
        await harness.NextCycleAsync();
        var identities = FaultHarness.Feed(await harness.StatusAsync(), "identities");
        Assert.Contains("keeping", identities.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.False(identities.GetProperty("stale").GetBoolean());
        harness.Simulator.Faults.Clear();
        Assert.Equal(await harness.ExpectedAsync(), await harness.IncidentsAsync());

        // A full answer again: trusted at the next cycle, note gone.
        await harness.NextCycleAsync();
        Assert.Equal(JsonValueKind.Null, FaultHarness.Feed(await harness.StatusAsync(), "identities").GetProperty("note").ValueKind);
        Assert.Equal(await harness.ExpectedAsync(), await harness.IncidentsAsync());

        // Doubted again 6 minutes after that trust, then 12 minutes after it (past the retention) it becomes the truth:
        // the IP incidents are then listed as unresolved, not lost.
        harness.Simulator.Faults.Set("identities", SimulatorFault.Parse(fault));
        await harness.NextCycleAsync();
        Assert.Equal(JsonValueKind.String, FaultHarness.Feed(await harness.StatusAsync(), "identities").GetProperty("note").ValueKind);
        await harness.NextCycleAsync();
        Assert.Equal(JsonValueKind.Null, FaultHarness.Feed(await harness.StatusAsync(), "identities").GetProperty("note").ValueKind);
        Assert.True(await UnresolvedAsync(harness) > unresolvedBefore + 100);

        // The IPs resolve again at the very next cycle.
        harness.Simulator.Faults.Clear();
        await harness.NextCycleAsync();
        Assert.Equal(await harness.ExpectedAsync(), await harness.IncidentsAsync());
    }

    [Fact]
    public async Task Credentials_echoed_by_the_upstream_never_reach_logs_status_metrics_or_error_bodies()
    {
        // Every way an upstream can echo the request back: error pages, a login page, JSON, malformed items, headers.
        var stub = new StubUpstreamHandler((request, _) =>
        {
            var echo = request.Headers.Authorization!.ToString();
            var path = request.RequestUri!.AbsolutePath;
            HttpResponseMessage Answer(System.Net.HttpStatusCode status, string body, string type = "text/html") =>
                new(status) { Content = new StringContent(body, Encoding.UTF8, type) };
            var response = path switch
            {
                _ when path.Contains("identities", StringComparison.Ordinal) => Answer(System.Net.HttpStatusCode.InternalServerError, $"<pre>Authorization: {echo}</pre>"),
                _ when path.Contains("denial", StringComparison.Ordinal) => Answer(System.Net.HttpStatusCode.OK, $"<html>login {echo}</html>"),
                _ when path.Contains("intrusion", StringComparison.Ordinal) => Answer(System.Net.HttpStatusCode.Unauthorized, $"{{\"detail\": \"bad {echo}\"}}", "application/json"),
                _ when path.Contains("executable", StringComparison.Ordinal) => Answer(System.Net.HttpStatusCode.OK, $"{{\"results\": \"{echo}\"}}", "application/json"),
                _ when path.Contains("misuse", StringComparison.Ordinal) => Answer(System.Net.HttpStatusCode.OK, $"{{\"results\": [\"{echo}\", {{\"priority\": \"{echo}\", \"employee_id\": 1, \"timestamp\": 1}}, {{\"priority\": \"low\", \"employee_id\": \"{echo}\", \"timestamp\": \"{echo}\"}}]}}", "application/json"),
                _ when path.Contains("unauthorized", StringComparison.Ordinal) => Answer(System.Net.HttpStatusCode.TooManyRequests, echo),
                _ when path.Contains("probing", StringComparison.Ordinal) => Answer(System.Net.HttpStatusCode.BadGateway, $"{{\"truncated\": \"{echo}", "application/json"),
                _ => Answer(System.Net.HttpStatusCode.MovedPermanently, echo),
            };
            response.Headers.TryAddWithoutValidation("X-Echo", echo);
            response.Headers.TryAddWithoutValidation("Set-Cookie", $"session={echo}");
            if (path.Contains("other", StringComparison.Ordinal))
            {
                response.Headers.Location = new Uri($"http://elsewhere.test/{Uri.EscapeDataString(echo)}/");
            }

            return Task.FromResult(response);
        });
        await using var harness = new FaultHarness(stub: stub, settings: [("Upstream:MaxRetries", "0"), ("Refresh:FirstSnapshotWait", "00:00:00")]);
        _ = harness.Client;
        await Wait.UntilAsync(() => harness.Cycle >= 1);
        await harness.NextCycleAsync();

        var secret = harness.Password;
        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FaultHarness.Username}:{secret}"));
        Assert.All(stub.Requests, r => Assert.Contains(header, r.Headers.Authorization!.ToString(), StringComparison.Ordinal)); // it was sent, and echoed
        var bodies = new List<string>();
        foreach (var path in new[] { "/status", "/metrics", "/incidents", "/incidents/4506", "/incidents/unresolved", "/readyz", "/healthz", "/incidents/x" })
        {
            using var response = await harness.Client.GetAsync(new Uri(path, UriKind.Relative));
            bodies.Add($"{path} {(int)response.StatusCode} {response.Headers} {response.Content.Headers} {await response.Content.ReadAsStringAsync()}");
        }

        var logs = harness.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        var lines = logs.Select(l => $"{l.Category} {l.Message} {l.Exception} {string.Join(",", l.StructuredState ?? [])} {string.Join(",", l.Scopes)}").ToList();
        Assert.Contains(lines, l => l.Contains("keeping its last good data", StringComparison.Ordinal)); // the failures were logged
        foreach (var text in bodies.Concat(lines))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(header, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Shutdown_with_every_target_hanging_completes_promptly_and_nothing_escapes_the_refresher()
    {
        var hangs = SimulatorFaultBoard.Targets.Select(t => ($"Simulator:Faults:{t}", "Hang")).ToArray();
        var harness = new FaultHarness(frozenTime: false, settings: hangs); // default 10 s attempt timeout: the calls really hang
        try
        {
            _ = harness.Client;
            await Wait.UntilAsync(() => harness.Simulator.InFlight == FaultHarness.MaxConcurrency);
            var refresher = harness.Services.GetRequiredService<SnapshotRefresher>();
            var logs = harness.Logs;

            await harness.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

            Assert.True(refresher.ExecuteTask!.IsCompletedSuccessfully);
            Assert.DoesNotContain(logs.GetSnapshot(), l => l.Level >= LogLevel.Error && l.Category!.Contains("SnapshotRefresher", StringComparison.Ordinal));
        }
        finally
        {
            await harness.DisposeAsync();
        }
    }

    private static async Task<int> UnresolvedAsync(FaultHarness harness)
    {
        using var document = JsonDocument.Parse(await harness.Client.GetStringAsync(new Uri("/incidents/unresolved", UriKind.Relative)));
        return document.RootElement.GetProperty("count").GetInt32();
    }
}
