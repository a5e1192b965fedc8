using System.Diagnostics.Metrics;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using IncidentService.Core;
using IncidentService.Core.Records;
using IncidentService.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace IncidentService.Tests.Cluster;

/// <summary>
/// The lease keeper admits upstream attempts against its term on its own clock, whatever its timer has yet to notice,
/// and a new term is announced only once the previous poller's requests are done. A real redis-server, a fake clock.
/// </summary>
public sealed class PollerAdmissionTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
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
    public async Task A_term_whose_clock_ran_out_admits_nothing_and_ends_at_the_first_refused_attempt()
    {
        var keeper = Keeper();
        await TakeAndAnnounceAsync(keeper);
        var term = await keeper.AwaitTermAsync(CancellationToken.None);
        keeper.ThrowIfNotAdmitted(); // within the term

        // A pause: the clock moves on past the lease, and no step of the lease keeper has run since.
        _time.Advance(Lease);

        Assert.ThrowsAny<OperationCanceledException>(keeper.ThrowIfNotAdmitted);
        Assert.True(term.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_term_stops_admitting_a_step_before_its_lease_could_run_out()
    {
        var keeper = Keeper();
        await TakeAndAnnounceAsync(keeper);

        _time.Advance(Lease - (Lease / 6) - TimeSpan.FromMilliseconds(1));
        keeper.ThrowIfNotAdmitted();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.ThrowsAny<OperationCanceledException>(keeper.ThrowIfNotAdmitted);
    }

    [Fact]
    public async Task A_first_term_in_a_Redis_that_cannot_prove_the_last_lease_over_waits_a_lease_and_an_attempt_before_polling()
    {
        var keeper = Keeper();
        await keeper.StepAsync();
        var announced = keeper.AwaitTermAsync(CancellationToken.None);
        Assert.ThrowsAny<OperationCanceledException>(keeper.ThrowIfNotAdmitted); // leading, but quiet

        // Renewed along the way, announced once a whole lease and one attempt have passed.
        var quiet = TimeSpan.Zero;
        while (!announced.IsCompleted)
        {
            Assert.True(quiet < Lease + AttemptTimeout + Lease, "announced too late");
            _time.Advance(Lease / 6);
            quiet += Lease / 6;
            await keeper.StepAsync();
        }

        Assert.InRange(quiet, Lease + AttemptTimeout, Lease + AttemptTimeout + (Lease / 6));
        keeper.ThrowIfNotAdmitted();
    }

    [Fact]
    public void A_replica_that_never_held_a_term_admits_nothing()
    {
        Assert.ThrowsAny<OperationCanceledException>(Keeper().ThrowIfNotAdmitted);
    }

    /// <summary>Takes the lease in a Redis that knows the last lease ended, so the term is announced after one attempt.</summary>
    private async Task TakeAndAnnounceAsync(RedisCoordination keeper)
    {
        await _connection.GetDatabase().StringSetAsync("incident-service:lease-expiry", 1); // long over, by Redis's clock
        await keeper.StepAsync();
        _time.Advance(AttemptTimeout);
        await keeper.StepAsync();
        Assert.True(keeper.AwaitTermAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    private RedisCoordination Keeper()
    {
        var board = new ClusterBoard(ClusterRole.Follower);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new ClusterMetrics(meters, board);
        var options = Options.Create(new ClusterOptions { LeaseDuration = Lease, ReplicaName = "a" });
        var store = new RedisRecordStore(_connection, options, board, metrics, NullLogger<RedisRecordStore>.Instance);
        return new RedisCoordination(
            store, FeedDefinition.Defaults, RecordSeal.Checksum, new RecordRefusals(metrics, NullLogger<RecordRefusals>.Instance), board, metrics, options, Options.Create(new UpstreamOptions { AttemptTimeout = AttemptTimeout }), _time, NullLogger<RedisCoordination>.Instance);
    }
}
