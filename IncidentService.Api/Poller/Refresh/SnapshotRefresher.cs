using System.Diagnostics;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>
/// Drives the refresh ledger: a regular cycle at once on start and then every <see cref="RefreshOptions.Interval"/>
/// fetches every target; between them, a target that failed is retried on its own backoff. What is served is the
/// ledger's decision (Core); this service only drives it: the <see cref="TargetFetcher"/> fetches, the ledger folds
/// the outcomes in, the <see cref="SnapshotInstaller"/> builds and installs, the <see cref="RecordHandOn"/> hands the
/// record on, and the <see cref="IRefreshObserver"/> hears what happened. Cycles never overlap (one loop), the
/// upstream bound holds for both kinds (the same gate), and no failure ends the loop. It polls only during a poller
/// term (always, alone; while holding the lease, in a cluster).
/// </summary>
internal sealed class SnapshotRefresher : BackgroundService
{
    private readonly FeedBoard _board;
    private readonly RefreshPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger<SnapshotRefresher> _logger;
    private readonly IPollerCoordination _coordination;
    private readonly RecordInstaller _records;
    private readonly IRefreshObserver _observer;
    private readonly TargetFetcher _fetcher;
    private readonly SnapshotInstaller _installer;
    private readonly RecordHandOn _handOn;
    private readonly SnapshotStore _store;
    private PollerTerm? _term;
    private long _cycles;

    public SnapshotRefresher(
        IServiceScopeFactory scopes,
        IReadOnlyList<FeedDefinition> feeds,
        SnapshotStore store,
        FeedBoard board,
        IRefreshObserver observer,
        IOptions<RefreshOptions> options,
        IPollerCoordination coordination,
        RecordInstaller records,
        TimeProvider time,
        ILogger<SnapshotRefresher> logger)
    {
        (_store, _board, _observer, _time, _logger, _coordination, _records) = (store, board, observer, time, logger, coordination, records);
        _policy = options.Value.ToPolicy();
        _fetcher = new TargetFetcher(scopes, feeds, options.Value.MaxConcurrency, observer, time, logger);
        _installer = new SnapshotInstaller(store, board, records, time, logger);
        _handOn = new RecordHandOn(coordination, store, time);
        board.Ledger ??= RefreshLedger.Start(feeds.Select(feed => feed.Name), time.GetUtcNow());
    }

    private RefreshLedger Ledger => _board.Ledger!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var term = await _coordination.AwaitTermAsync(stoppingToken);
                using var polling = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Lost);
                try
                {
                    await CatchUpAsync(term, polling.Token);
                    _term = term;
                    await PollAsync(polling.Token);
                }
                catch (OperationCanceledException) when (term.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // The term is over (logged by the lease keeper): follow until the next one.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>A new leader continues from the newest stored record, should it be newer than the one this replica followed.</summary>
    private async Task CatchUpAsync(PollerTerm term, CancellationToken cancellationToken)
    {
        if (term.Generation == 0)
        {
            return; // alone: the start read the file already, and nobody else writes
        }

        try
        {
            if (await _coordination.ReadLatestAsync(cancellationToken) is { Version: { } version } latest && version > (_records.InstalledVersion ?? 0))
            {
                _records.Install(latest, SnapshotSource.Redis);
            }
        }
        catch (RedisUnavailableException)
        {
            // Continue from the record followed last; the lease keeper ends the term if Redis stays away.
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        // One timer, created once per term, beating in steps that divide the interval: regular cycles land exactly on
        // the interval, and retries and the end of the wait for missing feeds are noticed within a step. The start is
        // read before the timer starts, so that its beats fall on or after the regular times, never just before.
        var nextRegular = _time.GetUtcNow();
        using var heartbeat = new PeriodicTimer(Heartbeat(_policy), _time);
        do
        {
            var now = _time.GetUtcNow();
            if (now >= nextRegular)
            {
                await RunCycleAsync(cancellationToken);
                // Ticks missed while the cycle ran collapse into one cycle at once, as with a periodic timer.
                var end = _time.GetUtcNow();
                nextRegular += _policy.Interval;
                while (nextRegular + _policy.Interval <= end)
                {
                    nextRegular += _policy.Interval;
                }
            }
            else if (Ledger.DueForRetry(now) is { Count: > 0 } due)
            {
                await RunCycleAsync(due, RefreshCycleKind.Retry, cancellationToken);
            }
            else if (_installer.Install(Ledger, _policy, changed: false) is not null)
            {
                await HandOnAsync(cancellationToken); // the wait for feeds that never answered just ended
            }
        }
        while (await heartbeat.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>The largest step of at most <see cref="RefreshPolicy.RetryBackoff"/> that divides the interval exactly.</summary>
    internal static TimeSpan Heartbeat(RefreshPolicy policy)
    {
        var interval = policy.Interval.Ticks;
        var steps = Math.Max(1, (long)Math.Ceiling((double)interval / Math.Max(1, policy.RetryBackoff.Ticks)));
        while (interval % steps != 0)
        {
            steps++;
        }

        return TimeSpan.FromTicks(interval / steps);
    }

    /// <summary>One regular cycle over every target; never throws except for cancellation by <paramref name="stoppingToken"/>.</summary>
    internal Task RunCycleAsync(CancellationToken stoppingToken) => RunCycleAsync([.. Ledger.Names], RefreshCycleKind.Regular, stoppingToken);

    internal async Task RunCycleAsync(IReadOnlyList<string> targets, RefreshCycleKind kind, CancellationToken stoppingToken)
    {
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        var number = Interlocked.Increment(ref _cycles);
        var kindLabel = RefreshCycleKinds.Label(kind);
        using var activity = IncidentTracing.Source.StartActivity("refresh cycle");
        activity?.SetTag("incidents.refresh.cycle", number);
        activity?.SetTag("incidents.refresh.kind", kindLabel);
        try
        {
            var outcomes = await _fetcher.FetchAllAsync(targets, stoppingToken);
            var update = Ledger.Apply(outcomes, _policy);
            _board.Ledger = update.Ledger;
            if (update.Identities is { Doubted: true } verdict)
            {
                ReportDoubt(verdict);
            }

            var succeeded = outcomes.Count(o => o is not FetchFailed);
            var work = _installer.Install(Ledger, _policy, changed: succeeded > 0) ?? SnapshotWork.None;
            await HandOnAsync(stoppingToken);

            var duration = _time.GetElapsedTime(started);
            var failed = outcomes.Count - succeeded;
            _board.LastCycle = new RefreshCycleInfo(startedAt, duration, succeeded, failed, number, kind);
            var outcome = failed == 0 ? "success" : succeeded == 0 ? "failed" : "partial";
            _observer.CycleCompleted(kind, outcome, duration);
            activity?.SetTag("incidents.refresh.outcome", outcome);
            var counts = _store.Current?.Counts;
            _logger.Cycle(number, kindLabel, succeeded, failed, duration.TotalMilliseconds, counts?.Employees ?? 0, counts?.Incidents ?? 0, counts?.Unresolved ?? 0, counts?.Malformed ?? 0,
                work.Label, work.Build.TotalMilliseconds, work.Install.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            // A bug in one cycle must not stop the next: the last snapshot keeps being served meanwhile.
            _logger.CycleCrashed(exception, number);
        }
    }

    private void ReportDoubt(IdentityVerdict verdict)
    {
        foreach (var doubt in verdict.Doubts)
        {
            _observer.IdentitiesDoubted(doubt);
        }

        if (verdict.Churned)
        {
            _logger.IdentitiesChurned(verdict.Moved, verdict.History.Trusted.Count, verdict.Retained, verdict.RetainedUntil!.Value);
        }
        else
        {
            _logger.IdentitiesDoubted(verdict.Effective.Count - verdict.Retained, verdict.History.Trusted.Count, verdict.Retained, verdict.RetainedUntil!.Value);
        }
    }

    private async Task HandOnAsync(CancellationToken cancellationToken) =>
        await _handOn.HandOnAsync(_term ?? await _coordination.AwaitTermAsync(cancellationToken), Ledger, cancellationToken);
}
