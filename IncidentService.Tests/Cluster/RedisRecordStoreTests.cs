using System.Diagnostics.Metrics;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentService.Tests.Cluster;

/// <summary>The lease and the fenced publish, against a real redis-server.</summary>
public sealed class RedisRecordStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_held_lease_is_not_taken_and_the_next_holder_gets_a_higher_generation()
    {
        var (a, b) = (Store(), Store());

        var first = await a.TryAcquireAsync("a", Long, seen: 0);
        var refused = await b.TryAcquireAsync("b", Long, seen: 0);
        await a.ReleaseAsync(RedisRecordStore.Token(first!.Generation, "a"));
        var second = await b.TryAcquireAsync("b", Long, seen: 0);

        Assert.Equal(1, first.Generation);
        Assert.Null(refused);
        Assert.Equal(2, second!.Generation);
        Assert.Equal(TimeSpan.Zero, second.Unproven); // handed back: known to be over
        Assert.Equal("b", await a.HolderAsync());
    }

    [Fact]
    public async Task A_deposed_holder_can_neither_renew_nor_publish_and_the_record_stays_the_new_holders()
    {
        var (a, b) = (Store(), Store());
        var old = (await a.TryAcquireAsync("a", TimeSpan.FromMilliseconds(300), seen: 0))!.Generation;
        long? next = null;
        await Wait.UntilAsync(async () => (next = (await b.TryAcquireAsync("b", Long, seen: 0))?.Generation) is not null); // once a's lease expired

        var renewed = await a.RenewAsync(RedisRecordStore.Token(old, "a"), Long);
        var stale = await a.PersistAsync(RedisRecordStore.Token(old, "a"), old, [1, 2, 3], seenVersion: 0);
        var fresh = await b.PersistAsync(RedisRecordStore.Token(next!.Value, "b"), next.Value, [4, 5, 6], seenVersion: 0);

        Assert.False(renewed);
        Assert.Null(stale);
        Assert.Equal(1, fresh);
        var latest = (await a.ReadLatestAsync())!.Value;
        Assert.Equal(1, latest.Version);
        Assert.Equal([4, 5, 6], latest.Record);
    }

    [Fact]
    public async Task A_publish_under_an_older_generation_is_refused_even_with_the_lease_key_forged_back()
    {
        var store = Store();
        var generation = (await store.TryAcquireAsync("a", Long, seen: 6))!.Generation;
        await store.PersistAsync(RedisRecordStore.Token(generation, "a"), generation, [1], seenVersion: 0);
        // A lease value put back by hand for generation 3: the written generation still fences it out.
        await _connection.GetDatabase().StringSetAsync("incident-service:lease", RedisRecordStore.Token(3, "old"));

        var refused = await store.PersistAsync(RedisRecordStore.Token(3, "old"), 3, [2], seenVersion: 0);

        Assert.Equal(7, generation); // above the highest generation the replica had seen
        Assert.Null(refused);
        Assert.Equal(new byte[] { 1 }, (await store.ReadLatestAsync())!.Value.Record);
    }

    [Fact]
    public async Task Publish_numbers_continue_above_what_a_replica_has_seen_after_Redis_lost_its_data()
    {
        var store = Store();
        var generation = (await store.TryAcquireAsync("a", Long, seen: 0))!.Generation;

        var version = await store.PersistAsync(RedisRecordStore.Token(generation, "a"), generation, [1], seenVersion: 41);

        Assert.Equal(42, version);
        Assert.Equal(42, await store.ReadVersionAsync());
    }

    [Fact]
    public async Task A_lease_whose_end_Redis_cannot_prove_makes_its_successor_wait_out_the_rest_of_it()
    {
        var (a, b) = (Store(), Store());
        var flushedAway = await a.TryAcquireAsync("a", Long, seen: 0);
        await _redis.FlushAllAsync(); // every key, the lease's expiry with it
        var afterFlush = await b.TryAcquireAsync("b", Long, seen: 1);
        await _connection.GetDatabase().KeyDeleteAsync("incident-service:lease"); // the lease key alone lost
        var afterLostKey = await a.TryAcquireAsync("a", Long, seen: 2);

        Assert.Equal(1, flushedAway!.Generation);
        Assert.Equal(Long, afterFlush!.Unproven); // nothing proves the lease over: a whole lease
        Assert.Equal(2, afterFlush.Generation); // above the generation the replica saw
        Assert.InRange(afterLostKey!.Unproven, Long - TimeSpan.FromSeconds(30), Long); // the rest of the lease lost early
        Assert.Equal(3, afterLostKey.Generation);
    }

    [Fact]
    public async Task Implausible_counters_and_floors_start_over_instead_of_locking_every_replica_out()
    {
        var store = Store();
        var database = _connection.GetDatabase();
        await database.StringSetAsync("incident-service:generation", long.MaxValue);
        await database.StringSetAsync("incident-service:record-generation", long.MaxValue);
        await database.StringSetAsync("incident-service:record-version", "99999999999999999999");

        var generation = (await store.TryAcquireAsync("a", Long, seen: long.MaxValue))!.Generation;
        var version = await store.PersistAsync(RedisRecordStore.Token(generation, "a"), generation, [1], seenVersion: long.MaxValue);

        Assert.Equal(1, generation);
        Assert.Equal(1, version);
        Assert.Equal(1, await store.ReadVersionAsync());
    }

    [Fact]
    public async Task Subscribers_hear_once_of_each_persisted_record()
    {
        var store = Store();
        var heard = 0;
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Store().SubscribeAsync(() =>
        {
            if (Interlocked.Increment(ref heard) >= 2)
            {
                both.TrySetResult();
            }
        });
        var generation = (await store.TryAcquireAsync("a", Long, seen: 0))!.Generation;

        await store.PersistAsync(RedisRecordStore.Token(generation, "a"), generation, [1], seenVersion: 0);
        await store.PersistAsync(RedisRecordStore.Token(generation, "a"), generation, [2], seenVersion: 0);

        // The bound only ends a broken run early: on loopback both notifications come within milliseconds.
        var finished = await Task.WhenAny(both.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(finished == both.Task, $"heard {Volatile.Read(ref heard)} of 2 notifications");
        Assert.Equal(2, Volatile.Read(ref heard));
        Assert.Equal(2, await store.ReadVersionAsync());
    }

    [Fact]
    public async Task An_unreachable_Redis_is_shown_on_the_board_and_a_reachable_one_again()
    {
        var board = new ClusterBoard(ClusterRole.Follower);
        var store = Store(board);
        await store.ReadVersionAsync();
        Assert.True(board.View.RedisReachable);

        await _redis.KillAsync();
        await Assert.ThrowsAsync<RedisUnavailableException>(store.ReadVersionAsync);

        Assert.False(board.View.RedisReachable);
        Assert.Equal("check: RedisConnectionException", board.View.RedisError);
        await _redis.RestartAsync();
        await Wait.UntilAsync(async () =>
        {
            try
            {
                await store.ReadVersionAsync();
                return true;
            }
            catch (RedisUnavailableException)
            {
                return false;
            }
        });
        Assert.True(board.View.RedisReachable);
        Assert.Null(board.View.RedisError);
    }

    private RedisRecordStore Store(ClusterBoard? board = null)
    {
        board ??= new ClusterBoard(ClusterRole.Follower);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new RedisRecordStore(_connection, Options.Create(new ClusterOptions()), board, new ClusterMetrics(meters, board), NullLogger<RedisRecordStore>.Instance);
    }
}
