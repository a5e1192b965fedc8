using System.Diagnostics;
using IncidentService.Core;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>
/// Fetches a cycle's targets at once, at most <c>Refresh:MaxConcurrency</c> (2–3) in flight through a
/// <see cref="SemaphoreSlim"/>, and turns each answer or failure into a <see cref="FetchOutcome"/>: it never throws but
/// for cancellation, so one target's failure never costs the others theirs.
/// </summary>
internal sealed class TargetFetcher(
    IServiceScopeFactory scopes,
    IReadOnlyList<FeedDefinition> feeds,
    int maxConcurrency,
    IRefreshObserver observer,
    TimeProvider time,
    ILogger logger)
{
    private readonly Dictionary<string, FeedDefinition> _feeds = feeds.ToDictionary(feed => feed.Name, StringComparer.Ordinal);

    public async Task<IReadOnlyCollection<FetchOutcome>> FetchAllAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<UpstreamClient>();
        using var slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        return await Task.WhenAll(targets.Select(async target =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await FetchAsync(client, target, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    private async Task<FetchOutcome> FetchAsync(UpstreamClient client, string target, CancellationToken token)
    {
        using var activity = IncidentTracing.Source.StartActivity("fetch " + target);
        activity?.SetTag("incidents.feed", target);
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        FetchOutcome outcome;
        try
        {
            outcome = Target.Named(target).IsIdentities
                ? new IdentitiesFetched(await client.GetIdentitiesAsync(token), at, time.GetElapsedTime(started))
                : new FeedFetched(await client.GetFeedAsync(_feeds[target], token), at, time.GetElapsedTime(started));
        }
        catch (UpstreamCallException exception)
        {
            logger.FetchFailed(target, FetchFailureKinds.Label(exception.Failure), exception.Message);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            outcome = new FetchFailed(Target.Named(target), exception.Failure, exception.Message, at, time.GetElapsedTime(started));
        }
        catch (Exception exception) when (!token.IsCancellationRequested)
        {
            // Not an upstream failure we know: record it against this target only, with no upstream text in it.
            logger.FetchCrashed(exception, target);
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            outcome = new FetchFailed(Target.Named(target), FetchFailureKind.Unexpected, $"unexpected {exception.GetType().Name}", at, time.GetElapsedTime(started));
        }

        observer.Fetched(target, outcome is FetchFailed failed ? FetchFailureKinds.Label(failed.Kind) : "success", outcome.Duration);
        return outcome;
    }
}
