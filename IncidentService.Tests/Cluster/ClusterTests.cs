using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IncidentService.Simulator.Faults;
using IncidentService.Tests.Faults;

namespace IncidentService.Tests.Cluster;

/// <summary>
/// Three replicas of the real service, each in its own process, sharing a real redis-server, in front of the
/// simulator. What an operator relies on: one poller, one snapshot, failover and restarts without loss.
/// </summary>
[Collection(nameof(RealClockRunsAlone))]
public sealed class ClusterTests
{
    private const int TargetsPerCycle = 8; // the identities and seven feeds

    [Fact]
    public async Task Three_replicas_poll_as_one_within_the_bound_and_serve_the_same_bytes()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 3);
        var leader = await cluster.WaitForLeaderAsync();
        await cluster.WaitForSameSnapshotAsync();

        // Watch many cycles of the leader, counting what reached the upstream meanwhile.
        var first = await CycleNumberAsync(leader);
        cluster.Simulator.ResetPeak();
        var requestsBefore = cluster.Simulator.RequestCount;
        await cluster.WaitUntilAsync(async () => await CycleNumberAsync(leader) >= first + 6, TimeSpan.FromSeconds(90), "six more cycles");
        var cycles = await CycleNumberAsync(leader) - first;
        var requests = cluster.Simulator.RequestCount - requestsBefore;

        Assert.True(cluster.Simulator.PeakInFlight <= 3, $"upstream saw {cluster.Simulator.PeakInFlight} requests at once against a bound of 3");
        // Each cycle fetches every target once; the window may cut one cycle in flight at either end.
        Assert.InRange(requests, (cycles - 1) * TargetsPerCycle, (cycles + 1) * TargetsPerCycle);
        foreach (var replica in cluster.Replicas)
        {
            var status = await replica.StatusAsync();
            var role = status.GetProperty("cluster").GetProperty("role").GetString();
            Assert.Equal(replica == leader ? "leader" : "follower", role);
            Assert.Equal(leader.Name, status.GetProperty("cluster").GetProperty("leaseHolder").GetString());
        }

        await cluster.WaitForSameSnapshotAsync();
        var followerStatus = await cluster.Replicas.First(r => r != leader).StatusAsync();
        Assert.Equal("redis", followerStatus.GetProperty("cluster").GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, followerStatus.GetProperty("lastCycle").ValueKind); // a follower polls nothing
    }

    [Fact]
    public async Task Killing_the_leader_hands_over_within_two_leases_without_a_failed_answer_or_lost_data()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 3);
        var leader = await cluster.WaitForLeaderAsync();
        await cluster.WaitForSameSnapshotAsync();
        var generation = (await leader.StatusAsync()).GetProperty("cluster").GetProperty("generation").GetInt64();

        // A feed fails from now on: its last good data must survive the failover.
        cluster.Simulator.Faults.Set("probing", SimulatorFault.Parse("ServerError"));
        await cluster.WaitUntilAsync(async () => (await Feed(leader, "probing")).GetProperty("stale").GetBoolean(), TimeSpan.FromSeconds(30), "probing failing");
        var probingSuccess = (await Feed(leader, "probing")).GetProperty("lastSuccess").GetDateTimeOffset();
        var survivors = cluster.Replicas.Where(r => r != leader).ToList();
        await cluster.WaitUntilAsync(async () => (await Feed(survivors[0], "probing")).GetProperty("stale").GetBoolean(), TimeSpan.FromSeconds(10), "the failure published");

        using var asking = new CancellationTokenSource();
        var answers = survivors.Select(r => AskUntilAsync(r, asking.Token)).ToList();
        var killedAt = Stopwatch.StartNew();
        await leader.KillAsync();
        var next = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var handover = killedAt.Elapsed;
        await cluster.WaitUntilAsync(async () => await CycleNumberAsync(next) >= 2, TimeSpan.FromSeconds(30), "the new leader polling");
        await asking.CancelAsync();
        var codes = (await Task.WhenAll(answers)).SelectMany(c => c).ToList();

        Assert.True(handover <= 2 * ClusterHarness.Lease, $"new leader after {handover.TotalSeconds:0.0} s, lease {ClusterHarness.Lease.TotalSeconds} s");
        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Equal(HttpStatusCode.OK, code));
        var status = await next.StatusAsync();
        Assert.True(status.GetProperty("cluster").GetProperty("generation").GetInt64() > generation);
        var probing = await Feed(next, "probing");
        Assert.True(probing.GetProperty("stale").GetBoolean());
        Assert.Equal(probingSuccess, probing.GetProperty("lastSuccess").GetDateTimeOffset()); // continued from the stored ledger
        Assert.True(status.GetProperty("snapshot").GetProperty("complete").GetBoolean());
        var (_, _, body) = await next.IncidentsAsync();
        Assert.True(body.AsSpan().IndexOf("\"type\":\"probing\""u8) >= 0, "the failing feed's last good incidents are still served");
    }

    [Fact]
    public async Task Replicas_restarted_while_the_upstream_is_down_serve_the_previous_bytes_at_once()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 3);
        await cluster.WaitForLeaderAsync();
        var tag = await cluster.WaitForSameSnapshotAsync();
        var (_, _, before) = await cluster.Replicas[0].IncidentsAsync();

        await cluster.StopUpstreamAsync();
        foreach (var replica in cluster.Replicas.ToList())
        {
            await replica.KillAsync();
        }

        var started = Stopwatch.StartNew();
        var restarted = Enumerable.Range(1, 3).Select(i => cluster.StartReplica($"again-{i}")).ToList();
        var firstAnswers = await Task.WhenAll(restarted.Select(async r =>
        {
            while (true)
            {
                var answer = await r.IncidentsAsync();
                if (answer.Status == HttpStatusCode.OK || started.Elapsed > TimeSpan.FromSeconds(30))
                {
                    return (answer, started.Elapsed);
                }

                Assert.NotEqual(HttpStatusCode.ServiceUnavailable, answer.Status); // never a cold 503 while Redis holds a snapshot
                await Task.Delay(20);
            }
        }));

        foreach (var ((status, etag, body), elapsed) in firstAnswers)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(elapsed <= TimeSpan.FromSeconds(5), $"first 200 after {string.Join(", ", firstAnswers.Select(a => a.Item2.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} s\n{cluster.Logs()}");
            Assert.Equal(tag, etag);
            Assert.Equal(before, body);
        }

        var warm = await restarted[0].StatusAsync();
        Assert.Equal("redis", warm.GetProperty("cluster").GetProperty("source").GetString());
        Assert.True(warm.GetProperty("snapshot").GetProperty("ageSeconds").GetDouble() > 0);
    }

    [Fact]
    public async Task Without_Redis_every_replica_keeps_answering_and_publishing_resumes_when_it_returns()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 3);
        await cluster.WaitForLeaderAsync();
        await cluster.WaitForSameSnapshotAsync();

        using var asking = new CancellationTokenSource();
        var answers = cluster.Replicas.Select(r => AskUntilAsync(r, asking.Token)).ToList();
        await cluster.Redis.KillAsync();
        // Nobody can hold a lease now: the leader stops polling before its lease could run out.
        await cluster.WaitUntilAsync(
            async () => (await Task.WhenAll(cluster.Replicas.Select(StatusAsync))).All(s => s.GetProperty("cluster").GetProperty("role").GetString() == "follower"
                && !s.GetProperty("cluster").GetProperty("redisReachable").GetBoolean()),
            TimeSpan.FromSeconds(30),
            "every replica a follower that sees Redis unreachable");
        var requests = cluster.Simulator.RequestCount;
        await Task.Delay(ClusterHarness.Lease); // a window in which a poller would have fetched; the count is the assertion
        var polledWithoutRedis = cluster.Simulator.RequestCount - requests;

        await cluster.Redis.RestartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        // Publishing resumes: a change the new leader sees reaches every follower through Redis.
        cluster.Simulator.Faults.Set("misuse", SimulatorFault.Parse("ServerError"));
        await cluster.WaitUntilAsync(
            async () => (await Task.WhenAll(cluster.Replicas.Select(r => Feed(r, "misuse")))).All(f => f.GetProperty("stale").GetBoolean()),
            TimeSpan.FromSeconds(30),
            "the new leader's record on every replica");
        await asking.CancelAsync();
        var codes = (await Task.WhenAll(answers)).SelectMany(c => c).ToList();

        Assert.Equal(0, polledWithoutRedis);
        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Equal(HttpStatusCode.OK, code));
        Assert.True((await leader.StatusAsync()).GetProperty("cluster").GetProperty("redisReachable").GetBoolean());
    }

    private static Task<JsonElement> StatusAsync(Replica replica) => replica.StatusAsync();

    private static async Task<JsonElement> Feed(Replica replica, string name) =>
        (await replica.StatusAsync()).GetProperty("feeds").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    private static async Task<long> CycleNumberAsync(Replica replica) =>
        (await replica.StatusAsync()).GetProperty("lastCycle") is { ValueKind: JsonValueKind.Object } cycle ? cycle.GetProperty("number").GetInt64() : 0;

    /// <summary>Asks <c>/incidents</c> over and over until cancelled, keeping every status code (0: no answer at all).</summary>
    private static async Task<List<HttpStatusCode>> AskUntilAsync(Replica replica, CancellationToken stop)
    {
        var codes = new List<HttpStatusCode>();
        while (!stop.IsCancellationRequested)
        {
            codes.Add((await replica.IncidentsAsync()).Status);
            await Task.Delay(25, CancellationToken.None);
        }

        return codes;
    }
}
