using IncidentService.Api.Snapshots;
using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Web.Serving;

/// <summary>
/// The served form of the store's snapshot: every answer compressed as the snapshot is installed, swapped before the
/// snapshot becomes current, so the change stream never announces content whose answers are not ready. Requests read
/// <see cref="Served"/> without locks.
/// </summary>
public sealed class ServedSnapshots(TimeProvider time) : ISnapshotListener
{
    // A signal only: a task holding the first snapshot would keep it, and all it was built from, alive for good.
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServedSnapshot? _current;

    public ServedSnapshot? Served => Volatile.Read(ref _current);

    /// <summary>How long a request may wait for the very first snapshot before it gets 503 (<c>Refresh:FirstSnapshotWait</c>).</summary>
    public TimeSpan FirstSnapshotWait { get; init; } = TimeSpan.FromSeconds(1);

    public void Preparing(IncidentSnapshot? previous, IncidentSnapshot current)
    {
        var before = Served;
        var served = ServedSnapshot.From(current, SnapshotCompression.Default, before);
        Volatile.Write(ref _current, served);
        _first.TrySetResult();
        if (before is not null && MemoryRelease.IsWorthIt(before.ServedBytes, served.ServedBytes))
        {
            // A moment later, when no caller's frame holds the old snapshot any more.
            _ = Task.Delay(MemoryRelease.Delay, time).ContinueWith(_ => MemoryRelease.Release(), TaskScheduler.Default);
        }
    }

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
