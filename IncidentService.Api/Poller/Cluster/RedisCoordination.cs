using IncidentService.Api.Snapshots;
using IncidentService.Core;
using IncidentService.Core.Records;
using IncidentService.Upstream;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// Keeps the poller lease in Redis: a follower tries to take it every step (a sixth of the lease); the leader renews it
/// every third and, when it cannot, ends its term a step before the lease could run out, so that two replicas never
/// poll at once. While Redis is unreachable nobody can hold a lease, so nobody polls: the upstream bound holds
/// cluster-wide, and every replica serves its last snapshot until Redis is back.
/// </summary>
/// <remarks>
/// The term runs on this process's monotonic clock from when the acquire or renew was sent, less a step; every upstream
/// attempt is admitted against it (<see cref="IUpstreamAdmission"/>). A new term polls only once the previous poller's
/// requests are done (see docs/cluster.md).
/// </remarks>
internal sealed class RedisCoordination(
    RedisRecordStore store,
    IReadOnlyList<FeedDefinition> feeds,
    RecordSeal seal,
    RecordRefusals refusals,
    ClusterBoard board,
    ClusterMetrics metrics,
    IOptions<ClusterOptions> options,
    IOptions<UpstreamOptions> upstream,
    TimeProvider time,
    ILogger<RedisCoordination> logger) : BackgroundService, IPollerCoordination, IUpstreamAdmission
{
    private readonly TimeSpan _duration = options.Value.LeaseDuration;
    private readonly TimeSpan _lastRequests = upstream.Value.AttemptTimeout;
    private readonly string _holder = ReplicaNames.Of(options.Value);
    private readonly Lock _gate = new();
    private TaskCompletionSource<PollerTerm> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LeaseTerm? _term;

    private TimeSpan Step => _duration / 6;

    public Task<PollerTerm> AwaitTermAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _next.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<PersistOutcome> PersistAsync(PollerTerm term, RefreshRecord record, CancellationToken cancellationToken)
    {
        long? version;
        try
        {
            version = await store.PersistAsync(RedisRecordStore.Token(term.Generation, term.Holder), term.Generation, RefreshRecordCodec.Write(record, seal), board.View.RecordVersion ?? 0);
        }
        catch (RedisUnavailableException)
        {
            metrics.Persisted(PersistOutcome.Failed);
            return PersistOutcome.Failed;
        }

        if (version is not { } published)
        {
            metrics.Persisted(PersistOutcome.Refused);
            End(term.Generation, "refused", "a publish was refused: another replica holds the lease");
            return PersistOutcome.Refused;
        }

        metrics.Persisted(PersistOutcome.Persisted);
        board.Update(view => view with { RecordVersion = published, Generation = term.Generation });
        return PersistOutcome.Persisted;
    }

    public async Task<StoredRecord?> ReadLatestAsync(CancellationToken cancellationToken)
    {
        if (await store.ReadLatestAsync() is not { } latest)
        {
            return null;
        }

        switch (RefreshRecordCodec.Read(latest.Record, feeds, seal))
        {
            case RecordRestored restored:
                refusals.Clear();
                return new StoredRecord(restored.Record, latest.Version);
            case RecordRejected rejected:
                refusals.Refuse(latest.Version, rejected);
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

    /// <summary>Admits an upstream attempt only within an announced term that this process's clock says is still valid.</summary>
    public void ThrowIfNotAdmitted()
    {
        var term = _term;
        if (term is null || !term.Announced)
        {
            throw new OperationCanceledException("this replica is not the poller");
        }

        if (time.GetTimestamp() >= term.ValidUntil)
        {
            End(term.Generation, "expired", "its term ran out before the lease was renewed");
            throw new OperationCanceledException("the poller term ran out", term.Lost.Token);
        }
    }

    /// <summary>One step of the lease: renew or give up a term, or try to take the lease.</summary>
    internal async Task StepAsync()
    {
        if (_term is { } term)
        {
            await KeepAsync(term);
            return;
        }

        var sent = time.GetTimestamp();
        try
        {
            if (await BoundedAsync("acquire", store.TryAcquireAsync(_holder, _duration, board.View.Generation), Step) is { } grant)
            {
                Begin(grant.Generation, validUntil: sent + Ticks(_duration - Step), quietFor: grant.Unproven + _lastRequests);
            }
            else
            {
                var holder = await BoundedAsync("holder", store.HolderAsync(), Step);
                board.Update(view => view with { Role = ClusterRole.Follower, LeaseHolder = holder });
            }
        }
        catch (RedisUnavailableException)
        {
            board.Update(view => view with { Role = ClusterRole.Follower });
        }
    }

    private async Task KeepAsync(LeaseTerm term)
    {
        var sent = time.GetTimestamp();
        if (time.GetElapsedTime(term.RenewedAt, sent) >= _duration / 3 || term.RenewFailed)
        {
            try
            {
                // A reply that comes after the term ran out is of no use: it could only extend a term already over.
                if (!await BoundedAsync("renew", store.RenewAsync(term.Token, _duration), Left(term, sent)))
                {
                    End(term.Generation, "taken", "the lease expired or was taken over");
                    return;
                }

                term.RenewedAt = sent;
                term.ValidUntil = sent + Ticks(_duration - Step);
                term.RenewFailed = false;
            }
            catch (RedisUnavailableException)
            {
                term.RenewFailed = true;
            }
        }

        // A step early: the next step could come too late.
        if (Left(term, time.GetTimestamp()) <= Step)
        {
            End(term.Generation, "expired", "the lease could not be renewed in time");
            return;
        }

        if (!term.Announced && time.GetTimestamp() >= term.QuietUntil)
        {
            Announce(term);
        }
    }

    private TimeSpan Left(LeaseTerm term, long now) => term.ValidUntil > now ? time.GetElapsedTime(now, term.ValidUntil) : TimeSpan.Zero;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    /// <summary>A Redis call given at most <paramref name="limit"/>: its own timeout (5 s by default) can outlast a lease.</summary>
    private async Task<T> BoundedAsync<T>(string operation, Task<T> call, TimeSpan limit)
    {
        try
        {
            return await call.WaitAsync(limit, time);
        }
        catch (TimeoutException exception)
        {
            metrics.RedisFailed(operation);
            throw new RedisUnavailableException(operation, exception);
        }
    }

    private void Begin(long generation, long validUntil, TimeSpan quietFor)
    {
        var term = new LeaseTerm(generation, RedisRecordStore.Token(generation, _holder))
        {
            RenewedAt = validUntil - Ticks(_duration - Step),
            ValidUntil = validUntil,
            QuietUntil = time.GetTimestamp() + Ticks(quietFor),
        };
        lock (_gate)
        {
            _term = term;
        }

        board.Update(view => view with { Role = ClusterRole.Leader, LeaseHolder = _holder, Generation = generation });
        metrics.LeaseAcquired();
        logger.LeaseAcquired(_holder, generation, quietFor.TotalSeconds);
        if (quietFor <= TimeSpan.Zero)
        {
            Announce(term);
        }
    }

    /// <summary>The term begins for the refresher: the previous poller's requests are done.</summary>
    private void Announce(LeaseTerm term)
    {
        lock (_gate)
        {
            if (_term != term)
            {
                return;
            }

            term.Announced = true;
            _next.TrySetResult(new PollerTerm(term.Generation, _holder, term.Lost.Token));
        }
    }

    private void End(long generation, string reason, string description)
    {
        LeaseTerm? ended;
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
        logger.LeaseLost(_holder, generation, description);
    }
}
