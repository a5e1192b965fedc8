using IncidentService.Core;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Cluster;

/// <summary>
/// Keeps the poller lease in Redis: a follower tries to take it every step (a sixth of the lease); the leader renews it
/// every third and, when it cannot, ends its term a step before the lease could run out, so that two replicas never
/// poll at once. While Redis is unreachable nobody can hold a lease, so nobody polls: the upstream bound holds
/// cluster-wide, and every replica serves its last snapshot until Redis is back.
/// </summary>
internal sealed partial class RedisCoordination(
    RedisRecordStore store,
    IReadOnlyList<FeedDefinition> feeds,
    ClusterBoard board,
    ClusterMetrics metrics,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<RedisCoordination> logger) : BackgroundService, IPollerCoordination
{
    private readonly TimeSpan _duration = options.Value.LeaseDuration;
    private readonly string _holder = ReplicaNames.Of(options.Value);
    private readonly Lock _gate = new();
    private TaskCompletionSource<PollerTerm> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Term? _term;

    private TimeSpan Step => _duration / 6;

    public Task<PollerTerm> AwaitTermAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _next.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<PublishOutcome> PublishAsync(PollerTerm term, RefreshRecord record, CancellationToken cancellationToken)
    {
        long? version;
        try
        {
            version = await store.PublishAsync(RedisRecordStore.Token(term.Generation, term.Holder), term.Generation, RefreshRecordCodec.Write(record), board.View.RecordVersion ?? 0);
        }
        catch (RedisUnavailableException)
        {
            metrics.Published(PublishOutcome.Failed);
            return PublishOutcome.Failed;
        }

        if (version is not { } published)
        {
            metrics.Published(PublishOutcome.Refused);
            End(term.Generation, "refused", "a publish was refused: another replica holds the lease");
            return PublishOutcome.Refused;
        }

        metrics.Published(PublishOutcome.Published);
        board.Update(view => view with { RecordVersion = published, Generation = term.Generation });
        return PublishOutcome.Published;
    }

    public async Task<StoredRecord?> ReadLatestAsync(CancellationToken cancellationToken)
    {
        if (await store.ReadLatestAsync() is not { } latest)
        {
            return null;
        }

        switch (RefreshRecordCodec.Read(latest.Record, feeds))
        {
            case RecordRestored restored:
                return new StoredRecord(restored.Record, latest.Version);
            case RecordRejected rejected:
                LogRecordRejected(latest.Version, rejected.Reason);
                return null;
            default:
                return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var steps = new PeriodicTimer(Step, time);
        try
        {
            do
            {
                await StepAsync();
            }
            while (await steps.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: handing the lease back below lets a follower take over at once instead of after it expires.
        }

        if (_term is { } term)
        {
            End(term.Generation, "stopping", "this replica is stopping");
            try
            {
                await store.ReleaseAsync(term.Token).WaitAsync(TimeSpan.FromSeconds(2), time, CancellationToken.None);
            }
            catch (Exception exception) when (exception is RedisUnavailableException or TimeoutException)
            {
                // It expires on its own.
            }
        }
    }

    /// <summary>One step of the lease: renew or give up a term, or try to take the lease.</summary>
    internal async Task StepAsync()
    {
        var now = time.GetUtcNow();
        if (_term is { } term)
        {
            await KeepAsync(term, now);
            return;
        }

        try
        {
            if (await store.TryAcquireAsync(_holder, _duration, board.View.Generation) is { } generation)
            {
                Begin(generation, validUntil: now + _duration);
            }
            else
            {
                var holder = await store.HolderAsync();
                board.Update(view => view with { Role = ClusterRole.Follower, LeaseHolder = holder });
            }
        }
        catch (RedisUnavailableException)
        {
            board.Update(view => view with { Role = ClusterRole.Follower });
        }
    }

    private async Task KeepAsync(Term term, DateTimeOffset now)
    {
        if (now - term.RenewedAt >= _duration / 3 || term.RenewFailed)
        {
            try
            {
                if (!await store.RenewAsync(term.Token, _duration))
                {
                    End(term.Generation, "taken", "the lease expired or was taken over");
                    return;
                }

                term.RenewedAt = now;
                term.ValidUntil = now + _duration;
                term.RenewFailed = false;
            }
            catch (RedisUnavailableException)
            {
                term.RenewFailed = true;
            }
        }

        // The lease counts from when the renewal was sent; stop a step early so no poll outlives it.
        if (time.GetUtcNow() + Step >= term.ValidUntil)
        {
            End(term.Generation, "expired", "the lease could not be renewed in time");
        }
    }

    private void Begin(long generation, DateTimeOffset validUntil)
    {
        var term = new Term(generation, RedisRecordStore.Token(generation, _holder)) { RenewedAt = validUntil - _duration, ValidUntil = validUntil };
        lock (_gate)
        {
            _term = term;
            _next.TrySetResult(new PollerTerm(generation, _holder, term.Lost.Token));
        }

        board.Update(view => view with { Role = ClusterRole.Leader, LeaseHolder = _holder, Generation = generation });
        metrics.LeaseAcquired();
        LogLeaseAcquired(_holder, generation);
    }

    private void End(long generation, string reason, string description)
    {
        Term? ended;
        lock (_gate)
        {
            ended = _term;
            if (ended is null || ended.Generation != generation)
            {
                return;
            }

            _term = null;
            _next = new TaskCompletionSource<PollerTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        ended.Lost.Cancel();
        board.Update(view => view with { Role = ClusterRole.Follower, LeaseHolder = view.LeaseHolder == _holder ? null : view.LeaseHolder });
        metrics.LeaseLost(reason);
        LogLeaseLost(_holder, generation, description);
    }

    /// <summary>This replica's current term: the lease's token and how long it is known to be valid.</summary>
    private sealed class Term(long generation, string token)
    {
        public long Generation { get; } = generation;

        public string Token { get; } = token;

        public CancellationTokenSource Lost { get; } = new();

        public DateTimeOffset RenewedAt { get; set; }

        public DateTimeOffset ValidUntil { get; set; }

        public bool RenewFailed { get; set; }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Replica {Holder} took the poller lease (generation {Generation}): polling the upstream")]
    private partial void LogLeaseAcquired(string holder, long generation);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Replica {Holder} stopped polling (generation {Generation}): {Reason}")]
    private partial void LogLeaseLost(string holder, long generation, string reason);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Stored record {Version} in Redis ignored: {Reason}")]
    private partial void LogRecordRejected(long version, string reason);
}
