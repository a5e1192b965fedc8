using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using IncidentService.Core;
using IncidentService.Core.Records;
using IncidentService.Core.Snapshots;
using IncidentService.Tests.Faults;
using StackExchange.Redis;

namespace IncidentService.Tests.Cluster;

/// <summary>
/// Whoever can write the cluster's Redis keys without its signing key can get nothing served: a record signed with
/// another key, or crafted to crash or lock out the replicas, is refused while every replica keeps answering.
/// </summary>
[Collection(nameof(RealClockRunsAlone))]
public sealed class ClusterRecordTests
{
    private const string Prefix = "incident-service:";

    [Fact]
    public async Task Forged_and_crafted_records_are_never_installed_and_never_lock_the_lease_out()
    {
        await using var cluster = await ClusterHarness.StartAsync(replicas: 3);
        var leader = await cluster.WaitForLeaderAsync();
        await cluster.WaitForSameSnapshotAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration);
        var database = redis.GetDatabase();
        var seal = RecordSeal.WithKey(ClusterHarness.SigningKey);
        var current = Assert.IsType<RecordRestored>(RefreshRecordCodec.Read((byte[])(await database.StringGetAsync(Prefix + "record"))!, FeedDefinition.Defaults, seal)).Record;
        var generation = current.Generation;
        var followers = cluster.Replicas.Where(r => r != leader).ToList();

        // A record that drops every employee, well-formed and tagged, signed with a key that is not the cluster's.
        var empty = "{}"u8.ToArray();
        var dropped = current.Snapshot! with { Json = empty, ETag = SnapshotBuilder.Tag(empty, current.Snapshot.UnresolvedJson, []), MissingFeeds = ImmutableArray<string>.Empty };
        var forged = RefreshRecordCodec.Write(current with { Snapshot = dropped }, RecordSeal.WithKey(RandomNumberGenerator.GetBytes(32)));
        using var asking = new CancellationTokenSource();
        var answers = cluster.Replicas.Select(r => AskUntilAsync(r, asking.Token)).ToList();
        await PlantAsync(database, redis, forged);
        await cluster.WaitUntilAsync(() => Task.FromResult(followers.All(f => f.Logged("signature does not verify") > 0)), TimeSpan.FromSeconds(30), "the forged record refused");

        // A record under the right key whose generation would lift every replica's floor past any lease.
        var crafted = RefreshRecordCodec.Write(current with { Generation = long.MaxValue }, seal);
        await PlantAsync(database, redis, crafted);
        await cluster.WaitUntilAsync(() => Task.FromResult(followers.All(f => f.Logged("is beyond any cluster") > 0)), TimeSpan.FromSeconds(30), "the crafted record refused");

        // The lease still changes hands above the last real generation.
        await leader.KillAsync();
        var next = await cluster.WaitForLeaderAsync();
        await cluster.WaitUntilAsync(async () => (await next.StatusAsync()).GetProperty("cluster").GetProperty("generation").GetInt64() > generation, TimeSpan.FromSeconds(60), "a new term");
        await cluster.WaitForSameSnapshotAsync();
        await asking.CancelAsync();
        var seen = (await Task.WhenAll(answers)).SelectMany(a => a).ToList();

        Assert.NotEmpty(seen);
        Assert.All(seen.Where(a => a.Replica != leader.Name), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.DoesNotContain(seen, a => a.ETag == dropped.ETag);
        Assert.InRange((await next.StatusAsync()).GetProperty("cluster").GetProperty("generation").GetInt64(), generation + 1, RecordLimits.MaxGeneration);
        Assert.All(followers, f => Assert.Equal(1, f.Logged("signature does not verify"))); // once per record, not at every check
    }

    /// <summary>What a writer of the keys can do: put a record under a publish number above the leader's, and announce it.</summary>
    private static async Task PlantAsync(IDatabase database, ConnectionMultiplexer redis, byte[] record)
    {
        var version = (long)await database.StringGetAsync(Prefix + "record-version");
        await database.StringSetAsync(Prefix + "record", record);
        await database.StringSetAsync(Prefix + "record-version", version + 1000);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Prefix + "published"), version + 1000);
    }

    private static async Task<List<(string Replica, HttpStatusCode Status, string? ETag)>> AskUntilAsync(Replica replica, CancellationToken stop)
    {
        var seen = new List<(string, HttpStatusCode, string?)>();
        while (!stop.IsCancellationRequested)
        {
            var (status, etag, _) = await replica.IncidentsAsync();
            seen.Add((replica.Name, status, etag));
            await Task.Delay(25, CancellationToken.None);
        }

        return seen;
    }
}
