using System.Diagnostics;
using System.Text.Json;
using IncidentService.Tests.Faults;

namespace IncidentService.Tests.Cluster;

/// <summary>
/// The upstream bound (Refresh:MaxConcurrency, 3) as the upstream counts it, through the faults a cluster lives with:
/// a leader paused past its lease, a leader cut off from Redis, Redis losing every key. The upstream is slowed so that
/// a poller's requests stay in flight and any overlap of two pollers shows in the simulator's peak.
/// </summary>
[Collection(nameof(RealClockRunsAlone))]
public sealed class ClusterBoundTests
{
    private const int Bound = 3;

    private static readonly Dictionary<string, string> SlowUpstream = new()
    {
        ["Upstream:AttemptTimeout"] = "00:00:02",
        ["Upstream:TotalTimeout"] = "00:00:02.500",
    };

    // Requests as slow as the real upstream's: a cycle outlasts the lease, so a leader cut off mid-cycle would still be
    // fetching when its successor starts.
    private static readonly Dictionary<string, string> RealLatency = new()
    {
        ["Upstream:AttemptTimeout"] = "00:00:04",
        ["Upstream:TotalTimeout"] = "00:00:05",
        ["Refresh:Interval"] = "00:00:06",
    };

    [Fact]
    public async Task A_leader_resumed_after_a_pause_longer_than_its_lease_sends_nothing_beside_its_successor()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 2, latencyScale: 0.3, settings: SlowUpstream);
        var paused = await cluster.WaitForLeaderAsync();
        await cluster.WaitForSameSnapshotAsync();

        await paused.PauseAsync();
        var pausedAt = Stopwatch.StartNew();
        var successor = cluster.Replicas.Single(r => r != paused);
        await cluster.WaitUntilAsync(async () => await successor.RoleAsync() == "leader", TimeSpan.FromSeconds(60), "a successor");
        // Resume while the successor has a full bound in flight: anything the paused leader sends now overlaps.
        await cluster.WaitUntilAsync(() => Task.FromResult(cluster.Simulator.InFlight >= Bound && pausedAt.Elapsed > ClusterHarness.Lease), TimeSpan.FromSeconds(60), "the successor polling");
        cluster.Simulator.ResetPeak();
        await paused.ResumeAsync();
        await cluster.WaitUntilAsync(async () => await paused.RoleAsync() == "follower", TimeSpan.FromSeconds(30), "the resumed leader following");
        await WaitForCyclesAsync(cluster, successor, 2);

        Assert.True(cluster.Simulator.PeakInFlight <= Bound, $"upstream saw {cluster.Simulator.PeakInFlight} requests at once against a bound of {Bound}\n{cluster.Logs()}");
    }

    [Fact]
    public async Task A_leader_cut_off_from_Redis_stops_polling_before_a_successor_starts()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 2, latencyScale: 1, behindProxies: true, settings: RealLatency);
        var cut = await cluster.WaitForLeaderAsync();
        await cluster.WaitForSameSnapshotAsync();
        var successor = cluster.Replicas.Single(r => r != cut);

        // Cut the link as a cycle starts: the leader has all of it still to fetch.
        await cluster.WaitUntilAsync(() => Task.FromResult(cluster.Simulator.InFlight == 0), TimeSpan.FromSeconds(30), "a pause between cycles");
        await cluster.WaitUntilAsync(() => Task.FromResult(cluster.Simulator.InFlight > 0), TimeSpan.FromSeconds(30), "a cycle starting");
        cluster.Simulator.ResetPeak();
        cluster.ProxyOf(cut).Partition();
        await cluster.WaitUntilAsync(async () => await successor.RoleAsync() == "leader", TimeSpan.FromSeconds(60), "a successor");
        await cluster.WaitUntilAsync(async () => await cut.RoleAsync() == "follower", TimeSpan.FromSeconds(30), "the cut-off leader stopping");
        await WaitForCyclesAsync(cluster, successor, 2);

        Assert.True(cluster.Simulator.PeakInFlight <= Bound, $"upstream saw {cluster.Simulator.PeakInFlight} requests at once against a bound of {Bound}\n{cluster.Logs()}");
    }

    [Fact]
    public async Task Redis_losing_every_key_never_lets_two_pollers_overlap()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 3, latencyScale: 0.3, settings: SlowUpstream);
        var leader = await cluster.WaitForLeaderAsync();
        await cluster.WaitForSameSnapshotAsync();
        var generation = (await leader.StatusAsync()).GetProperty("cluster").GetProperty("generation").GetInt64();
        await cluster.WaitUntilAsync(() => Task.FromResult(cluster.Simulator.InFlight >= Bound), TimeSpan.FromSeconds(30), "the leader polling");

        cluster.Simulator.ResetPeak();
        await cluster.Redis.FlushAllAsync();
        // A new term (whoever holds it) above every generation seen, and it polls.
        var next = await WaitForNewTermAsync(cluster, generation);
        await WaitForCyclesAsync(cluster, next, 2);

        Assert.True(cluster.Simulator.PeakInFlight <= Bound, $"upstream saw {cluster.Simulator.PeakInFlight} requests at once against a bound of {Bound}\n{cluster.Logs()}");
    }

    private static async Task<Replica> WaitForNewTermAsync(ClusterHarness cluster, long generation)
    {
        Replica? next = null;
        await cluster.WaitUntilAsync(
            async () =>
            {
                var leader = await cluster.WaitForLeaderAsync();
                next = Cluster(await leader.StatusAsync()).GetProperty("generation").GetInt64() > generation ? leader : null;
                return next is not null;
            },
            TimeSpan.FromSeconds(60),
            "a new term");
        return next!;
    }

    /// <summary>Waits until the leader has finished <paramref name="count"/> more cycles.</summary>
    private static async Task WaitForCyclesAsync(ClusterHarness cluster, Replica leader, int count)
    {
        var first = await CycleNumberAsync(leader);
        await cluster.WaitUntilAsync(async () => await CycleNumberAsync(leader) >= first + count, TimeSpan.FromSeconds(60), $"{count} more cycles");
    }

    private static JsonElement Cluster(JsonElement status) => status.GetProperty("cluster");

    private static async Task<long> CycleNumberAsync(Replica replica) =>
        (await replica.StatusAsync()).GetProperty("lastCycle") is { ValueKind: JsonValueKind.Object } cycle ? cycle.GetProperty("number").GetInt64() : 0;
}
