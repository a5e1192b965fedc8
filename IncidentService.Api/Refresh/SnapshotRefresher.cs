using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentService.Api.Telemetry;
using IncidentService.Core;
using IncidentService.Upstream;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Refresh;

/// <summary>
/// Keeps the snapshot fresh: a cycle at once on start, then one per <see cref="RefreshOptions.Interval"/>. A cycle
/// fetches the identities and every feed with bounded parallelism, keeps each target's last good answer when a fetch
/// fails, and publishes a new snapshot built from the last good answers. Cycles never overlap (the timer is awaited
/// between them) and no failure ends the loop.
/// </summary>
internal sealed partial class SnapshotRefresher(
    IServiceScopeFactory scopes,
    IReadOnlyList<FeedDefinition> feeds,
    SnapshotStore store,
    FeedBoard board,
    IncidentMetrics metrics,
    IOptions<RefreshOptions> options,
    TimeProvider time,
    ILogger<SnapshotRefresher> logger) : BackgroundService
{
    private readonly Dictionary<string, FeedBatch> _lastGoodFeeds = [];
    private IdentityDirectory? _lastGoodIdentities;
    private IdentityHistory? _identityHistory;
    private long _cycles;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            do
            {
                await RunCycleAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One whole cycle; never throws except for cancellation by <paramref name="stoppingToken"/>.</summary>
    internal async Task RunCycleAsync(CancellationToken stoppingToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var number = Interlocked.Increment(ref _cycles);
        using var activity = IncidentTracing.Source.StartActivity("refresh cycle");
        activity?.SetTag("incidents.refresh.cycle", number);
        try
        {
            var outcomes = await FetchAllAsync(stoppingToken);
            var succeeded = Apply(outcomes);
            if (succeeded > 0 && _lastGoodIdentities is { } identities)
            {
                store.Publish(SnapshotBuilder.Build(_lastGoodFeeds.Values, identities, time.GetUtcNow()));
            }

            var duration = time.GetElapsedTime(started);
            var failed = outcomes.Count - succeeded;
            board.LastCycle = new RefreshCycleInfo(startedAt, duration, succeeded, failed, number);
            var outcome = failed == 0 ? "success" : succeeded == 0 ? "failed" : "partial";
            metrics.CycleCompleted(outcome, duration);
            activity?.SetTag("incidents.refresh.outcome", outcome);
            var counts = store.Current?.Counts;
            LogCycle(number, succeeded, failed, duration.TotalMilliseconds, counts?.Employees ?? 0, counts?.Incidents ?? 0, counts?.Unresolved ?? 0, counts?.Malformed ?? 0);
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

    private async Task<IReadOnlyCollection<FetchOutcome>> FetchAllAsync(CancellationToken stoppingToken)
    {
        var targets = new List<FeedDefinition?> { null }; // null: the identities, fetched first as everything needs them
        targets.AddRange(feeds);
        var outcomes = new ConcurrentBag<FetchOutcome>();
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<UpstreamClient>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = stoppingToken };
        await Parallel.ForEachAsync(targets, parallel, async (feed, token) => outcomes.Add(await FetchAsync(client, feed, token)));
        return outcomes;
    }

    private async Task<FetchOutcome> FetchAsync(UpstreamClient client, FeedDefinition? feed, CancellationToken token)
    {
        var name = feed?.Name ?? UpstreamClient.IdentitiesTarget;
        using var activity = IncidentTracing.Source.StartActivity("fetch " + name);
        activity?.SetTag("incidents.feed", name);
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        try
        {
            object data = feed is null
                ? await client.GetIdentitiesAsync(token)
                : await client.GetFeedAsync(feed, token);
            return Completed(new FetchOutcome(name, at, time.GetElapsedTime(started), data, null), "success");
        }
        catch (UpstreamCallException exception)
        {
            LogFetchFailed(name, exception.Failure, exception.Message);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            return Completed(new FetchOutcome(name, at, time.GetElapsedTime(started), null, exception.Message), exception.Failure.ToString().ToLowerInvariant());
        }
        catch (Exception exception) when (!token.IsCancellationRequested)
        {
            // Not an upstream failure we know: record it against this target only, with no upstream text in it.
            LogFetchCrashed(exception, name);
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            return Completed(new FetchOutcome(name, at, time.GetElapsedTime(started), null, $"unexpected {exception.GetType().Name}"), "unexpected");
        }
    }

    private FetchOutcome Completed(FetchOutcome outcome, string result)
    {
        metrics.UpstreamFetched(outcome.Name, result, outcome.Duration);
        return outcome;
    }

    /// <summary>Folds one cycle's outcomes into the last good data and the board; returns how many succeeded.</summary>
    private int Apply(IReadOnlyCollection<FetchOutcome> outcomes)
    {
        var succeeded = 0;
        foreach (var outcome in outcomes)
        {
            var state = board.Get(outcome.Name) with { LastAttempt = outcome.At, LastDuration = outcome.Duration };
            switch (outcome.Data)
            {
                case FeedBatch batch:
                    _lastGoodFeeds[outcome.Name] = batch;
                    state = Succeeded(state, outcome.At, batch.Incidents.Length) with { Malformed = batch.Malformed };
                    succeeded++;
                    break;
                case IdentityDirectory identities:
                    state = Succeeded(state, outcome.At, identities.Count) with
                    {
                        Note = AcceptIdentities(identities, outcome.At),
                        Malformed = identities.Skipped,
                    };
                    succeeded++;
                    break;
                default:
                    state = state with { LastError = outcome.Error, FailingSince = state.FailingSince ?? outcome.At };
                    break;
            }

            board.Set(state);
        }

        return succeeded;
    }

    /// <summary>Takes a new identities answer through the shrink guard; returns a note when it was doubted.</summary>
    private string? AcceptIdentities(IdentityDirectory fresh, DateTimeOffset at)
    {
        var settings = options.Value;
        var verdict = _identityHistory is null
            ? IdentityHistory.First(fresh, at)
            : _identityHistory.Accept(fresh, at, settings.IdentityShrinkThreshold, settings.IdentityRetention);
        _identityHistory = verdict.History;
        _lastGoodIdentities = verdict.Effective;
        if (!verdict.Doubted)
        {
            return null;
        }

        LogIdentitiesDoubted(fresh.Count, verdict.History.Trusted.Count, verdict.Retained, verdict.RetainedUntil!.Value);
        return $"answer had {fresh.Count} of {verdict.History.Trusted.Count} trusted entries; keeping {verdict.Retained} earlier mappings until {verdict.RetainedUntil:O}";
    }

    private static FeedState Succeeded(FeedState state, DateTimeOffset at, int items) =>
        state with { LastSuccess = at, LastError = null, FailingSince = null, Items = items, Note = null };

    private sealed record FetchOutcome(string Name, DateTimeOffset At, TimeSpan Duration, object? Data, string? Error);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Refresh cycle {Cycle}: {Succeeded} targets fetched, {Failed} failed in {DurationMs:0} ms; serving {Employees} employees, {Incidents} incidents, {Unresolved} unresolved, {Malformed} malformed skipped")]
    private partial void LogCycle(long cycle, int succeeded, int failed, double durationMs, int employees, int incidents, int unresolved, int malformed);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Upstream {Target} failed ({Failure}): {Reason}; keeping its last good data")]
    private partial void LogFetchFailed(string target, UpstreamFailure failure, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Upstream {Target} failed unexpectedly; keeping its last good data")]
    private partial void LogFetchCrashed(Exception exception, string target);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning,
        Message = "Identities answer had {Fresh} of {Trusted} trusted entries; keeping {Retained} earlier mappings until {Until:O}")]
    private partial void LogIdentitiesDoubted(int fresh, int trusted, int retained, DateTimeOffset until);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Refresh cycle {Cycle} failed unexpectedly; the last snapshot stays in service")]
    private partial void LogCycleCrashed(Exception exception, long cycle);
}
