using IncidentService.Api.Web.Live;
using IncidentService.Api.Web.Queries;
using IncidentService.Api.Web.Serving;
using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>
/// Holds the current snapshot, with its served representations; the refresher swaps it, requests read it without locks.
/// Every snapshot enters through <see cref="Publish"/>, which derives what is served from it (compression, and the
/// dashboards' views, the change streams' difference), off the request path.
/// </summary>
public sealed class SnapshotStore(TimeProvider time, SnapshotViews? views = null, SnapshotChanges? changes = null)
{
    // A signal only: a task holding the first snapshot would keep it, and all it was built from, alive for good.
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServedSnapshot? _current;

    public IncidentSnapshot? Current => Served?.Snapshot;

    public ServedSnapshot? Served => Volatile.Read(ref _current);

    /// <summary>Installs <paramref name="next"/>; the same object again changes nothing.</summary>
    public ServedSnapshot Publish(IncidentSnapshot next)
    {
        var previous = Served;
        if (ReferenceEquals(previous?.Snapshot, next))
        {
            return previous;
        }

        if (previous?.Snapshot is { } old && old.ETag == next.ETag)
        {
            // Same content: keep the bytes already served (and compressed), so only one copy stays in memory.
            next = next with { ContentChangedAt = old.ContentChangedAt, Json = old.Json, UnresolvedJson = old.UnresolvedJson, Employees = old.Employees };
        }

        var served = ServedSnapshot.From(next, SnapshotCompression.Default, previous);
        views?.Prepare(next);
        Volatile.Write(ref _current, served);
        _first.TrySetResult();
        changes?.Installed(previous?.Snapshot, next);
        if (previous is not null && MemoryRelease.IsWorthIt(previous.ServedBytes, served.ServedBytes))
        {
            // A moment later, when no caller's frame holds the old snapshot any more.
            _ = Task.Delay(MemoryRelease.Delay, time).ContinueWith(_ => MemoryRelease.Release(), TaskScheduler.Default);
        }

        return served;
    }

    /// <summary>The current snapshot, or the first one if it arrives within <paramref name="budget"/>; null otherwise.</summary>
    public async Task<IncidentSnapshot?> WaitAsync(TimeSpan budget, CancellationToken cancellationToken) =>
        (await WaitServedAsync(budget, cancellationToken))?.Snapshot;

    /// <summary>What is served now, or the first snapshot if it arrives within <paramref name="budget"/>; null otherwise.</summary>
    public async ValueTask<ServedSnapshot?> WaitServedAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        if (Served is { } current)
        {
            return current;
        }

        try
        {
            await _first.Task.WaitAsync(budget, time, cancellationToken);
            return Served;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
