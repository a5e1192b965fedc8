using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Telemetry;
using IncidentService.Core;
using IncidentService.Core.Ledger;
using IncidentService.Core.Records;
using IncidentService.Core.Snapshots;
using IncidentService.Upstream;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>
/// Drives the refresh ledger: a regular cycle at once on start and then every <see cref="RefreshOptions.Interval"/>
/// fetches every target; between them, a target that failed is retried on its own backoff. What is served is the
/// ledger's decision; this class only fetches, folds outcomes in, publishes, and reports. Cycles never overlap (one
/// loop), the upstream bound holds for both kinds (the same gate), and no failure ends the loop. It polls only during a
/// poller term (always, alone; while holding the lease, in a cluster), and hands each cycle's record on.
/// </summary>
internal sealed partial class SnapshotRefresher : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly Dictionary<string, FeedDefinition> _feeds;
    private readonly SnapshotStore _store;
    private readonly FeedBoard _board;
    private readonly IncidentMetrics _metrics;
    private readonly RefreshPolicy _policy;
    private readonly int _maxConcurrency;
    private readonly TimeProvider _time;
    private readonly ILogger<SnapshotRefresher> _logger;
    private readonly IPollerCoordination _coordination;
    private readonly RecordInstaller _installer;
    private PollerTerm? _term;
    private long _cycles;
    private SnapshotWork _snapshotWork = SnapshotWork.None;

    public SnapshotRefresher(
        IServiceScopeFactory scopes,
        IReadOnlyList<FeedDefinition> feeds,
        SnapshotStore store,
        FeedBoard board,
        IncidentMetrics metrics,
        IOptions<RefreshOptions> options,
        IPollerCoordination coordination,
        RecordInstaller installer,
        TimeProvider time,
        ILogger<SnapshotRefresher> logger)
    {
        (_scopes, _store, _board, _metrics, _time, _logger) = (scopes, store, board, metrics, time, logger);
        (_coordination, _installer) = (coordination, installer);
        _feeds = feeds.ToDictionary(feed => feed.Name, StringComparer.Ordinal);
        _policy = options.Value.ToPolicy();
        _maxConcurrency = options.Value.MaxConcurrency;
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
            if (await _coordination.ReadLatestAsync(cancellationToken) is { Version: { } version } latest && version > (_installer.InstalledVersion ?? 0))
            {
                _installer.Install(latest, SnapshotSource.Redis);
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
            else if (_store.Current is null && Publish(changed: false))
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
        _snapshotWork = SnapshotWork.None;
        try
        {
            var outcomes = await FetchAllAsync(targets, stoppingToken);
            var update = Ledger.Apply(outcomes, _policy);
            _board.Ledger = update.Ledger;
            if (update.Identities is { Doubted: true } verdict)
            {
                foreach (var doubt in verdict.Doubts)
                {
                    _metrics.IdentitiesDoubted(doubt);
                }

                if (verdict.Churned)
                {
                    LogIdentitiesChurned(verdict.Moved, verdict.History.Trusted.Count, verdict.Retained, verdict.RetainedUntil!.Value);
                }
                else
                {
                    LogIdentitiesDoubted(verdict.Effective.Count - verdict.Retained, verdict.History.Trusted.Count, verdict.Retained, verdict.RetainedUntil!.Value);
                }
            }

            var succeeded = outcomes.Count(o => o is not FetchFailed);
            Publish(changed: succeeded > 0);
            await HandOnAsync(stoppingToken);

            var duration = _time.GetElapsedTime(started);
            var failed = outcomes.Count - succeeded;
            _board.LastCycle = new RefreshCycleInfo(startedAt, duration, succeeded, failed, number, kind);
            var outcome = failed == 0 ? "success" : succeeded == 0 ? "failed" : "partial";
            _metrics.CycleCompleted(kindLabel, outcome, duration);
            activity?.SetTag("incidents.refresh.outcome", outcome);
            var counts = _store.Current?.Counts;
            LogCycle(number, kindLabel, succeeded, failed, duration.TotalMilliseconds, counts?.Employees ?? 0, counts?.Incidents ?? 0, counts?.Unresolved ?? 0, counts?.Malformed ?? 0,
                _snapshotWork.Label, _snapshotWork.Build.TotalMilliseconds, _snapshotWork.Compression.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            // A bug in one cycle must not stop the next: the last snapshot keeps being served meanwhile.
            LogCycleCrashed(exception, number);
        }
    }

    /// <summary>
    /// Hands the ledger and the snapshot on (Redis, or the file), after every cycle: followers show the same feed states
    /// and take over from them. A refused hand-on ends the term, which cancels the poll.
    /// </summary>
    private async Task HandOnAsync(CancellationToken cancellationToken)
    {
        var term = _term ?? await _coordination.AwaitTermAsync(cancellationToken);
        var outcome = await _coordination.PublishAsync(term, new RefreshRecord(term.Generation, term.Holder, _time.GetUtcNow(), Ledger, _store.Current), cancellationToken);
        if (outcome == PublishOutcome.Refused)
        {
            term.Lost.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Serves what the ledger allows when something new arrived, or when nothing is served yet; true when a snapshot was built.</summary>
    private bool Publish(bool changed)
    {
        if (!changed && _store.Current is not null)
        {
            return false;
        }

        switch (Ledger.Decide(_time.GetUtcNow(), _policy))
        {
            case ServeSnapshot serve:
                var started = _time.GetTimestamp();
                var build = SnapshotBuilder.Rebuild(serve.Sources, _time.GetUtcNow(), _store.Current);
                var snapshot = build.Snapshot;
                var built = _time.GetTimestamp();
                if (_store.Current is not { } current || !current.MissingFeeds.SequenceEqual(snapshot.MissingFeeds))
                {
                    LogServing(snapshot.IsComplete ? "complete" : "incomplete", snapshot.MissingFeeds.Length == 0 ? "none" : string.Join(", ", snapshot.MissingFeeds));
                }

                _store.Publish(snapshot);
                _installer.BuiltHere();
                _snapshotWork = new SnapshotWork(build.Kept ? "kept (inputs unchanged)" : "rebuilt", _time.GetElapsedTime(started, built), _time.GetElapsedTime(built));
                _board.HoldReason = null;
                return true;
            case HoldSnapshot hold when _board.HoldReason != hold.Reason:
                _board.HoldReason = hold.Reason;
                LogHolding(hold.Reason);
                break;
        }

        return false;
    }

    private async Task<IReadOnlyCollection<FetchOutcome>> FetchAllAsync(IReadOnlyList<string> targets, CancellationToken stoppingToken)
    {
        var outcomes = new ConcurrentBag<FetchOutcome>();
        using var scope = _scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<UpstreamClient>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = stoppingToken };
        await Parallel.ForEachAsync(targets, parallel, async (target, token) => outcomes.Add(await FetchAsync(client, target, token)));
        return outcomes;
    }

    private async Task<FetchOutcome> FetchAsync(UpstreamClient client, string target, CancellationToken token)
    {
        using var activity = IncidentTracing.Source.StartActivity("fetch " + target);
        activity?.SetTag("incidents.feed", target);
        var at = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        FetchOutcome outcome;
        try
        {
            outcome = Target.Named(target).IsIdentities
                ? new IdentitiesFetched(await client.GetIdentitiesAsync(token), at, _time.GetElapsedTime(started))
                : new FeedFetched(await client.GetFeedAsync(_feeds[target], token), at, _time.GetElapsedTime(started));
        }
        catch (UpstreamCallException exception)
        {
            LogFetchFailed(target, FetchFailureKinds.Label(exception.Failure), exception.Message);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            outcome = new FetchFailed(Target.Named(target), exception.Failure, exception.Message, at, _time.GetElapsedTime(started));
        }
        catch (Exception exception) when (!token.IsCancellationRequested)
        {
            // Not an upstream failure we know: record it against this target only, with no upstream text in it.
            LogFetchCrashed(exception, target);
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            outcome = new FetchFailed(Target.Named(target), FetchFailureKind.Unexpected, $"unexpected {exception.GetType().Name}", at, _time.GetElapsedTime(started));
        }

        _metrics.UpstreamFetched(target, outcome is FetchFailed failed ? FetchFailureKinds.Label(failed.Kind) : "success", outcome.Duration);
        return outcome;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Refresh cycle {Cycle} ({Kind}): {Succeeded} targets fetched, {Failed} failed in {DurationMs:0} ms; serving {Employees} employees, {Incidents} incidents, {Unresolved} unresolved, {Malformed} malformed skipped; snapshot {Snapshot} (build {BuildMs:0} ms, compression {CompressionMs:0} ms)")]
    private partial void LogCycle(long cycle, string kind, int succeeded, int failed, double durationMs, int employees, int incidents, int unresolved, int malformed, string snapshot, double buildMs, double compressionMs);

    /// <summary>What a cycle did to the snapshot, for its log line: rebuilt, kept because its inputs did not change, or not touched.</summary>
    private sealed record SnapshotWork(string Label, TimeSpan Build, TimeSpan Compression)
    {
        public static readonly SnapshotWork None = new("not touched (nothing new)", TimeSpan.Zero, TimeSpan.Zero);
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Upstream {Target} failed ({Failure}): {Reason}; keeping its last good data")]
    private partial void LogFetchFailed(string target, string failure, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Upstream {Target} failed unexpectedly; keeping its last good data")]
    private partial void LogFetchCrashed(Exception exception, string target);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning,
        Message = "Identities answer had {Fresh} of {Trusted} trusted entries; keeping {Retained} earlier mappings until {Until:O}")]
    private partial void LogIdentitiesDoubted(int fresh, int trusted, int retained, DateTimeOffset until);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning,
        Message = "Identities answer mapped {Moved} of {Trusted} trusted addresses to other employees; keeping {Retained} earlier mappings until {Until:O}")]
    private partial void LogIdentitiesChurned(int moved, int trusted, int retained, DateTimeOffset until);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "No snapshot served yet: {Reason}")]
    private partial void LogHolding(string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Serving a {Completeness} snapshot; feeds missing: {Missing}")]
    private partial void LogServing(string completeness, string missing);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Refresh cycle {Cycle} failed unexpectedly; the last snapshot stays in service")]
    private partial void LogCycleCrashed(Exception exception, long cycle);
}
