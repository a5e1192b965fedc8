using IncidentService.Core;

namespace IncidentService.Api.Refresh;

/// <summary>Holds the current snapshot; the refresher swaps it, requests read it without locks.</summary>
public sealed class SnapshotStore(TimeProvider time)
{
    private readonly TaskCompletionSource<IncidentSnapshot> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IncidentSnapshot? _current;

    public IncidentSnapshot? Current => Volatile.Read(ref _current);

    public void Publish(IncidentSnapshot next)
    {
        if (Current is { } previous && previous.ETag == next.ETag)
        {
            next = next with { ContentChangedAt = previous.ContentChangedAt };
        }

        Volatile.Write(ref _current, next);
        _first.TrySetResult(next);
    }

    /// <summary>The current snapshot, or the first one if it arrives within <paramref name="budget"/>; null otherwise.</summary>
    public async Task<IncidentSnapshot?> WaitAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        if (Current is { } current)
        {
            return current;
        }

        try
        {
            return await _first.Task.WaitAsync(budget, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
