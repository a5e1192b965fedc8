using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Snapshots;

/// <summary>
/// The snapshot in service, where the poller side and the web side meet: the poller (or a record taken over from
/// elsewhere) installs, everyone else reads without locks. What is served from a snapshot is derived by the
/// <see cref="ISnapshotListener"/>s as it is installed, so no request pays for it.
/// </summary>
public sealed class SnapshotStore(IEnumerable<ISnapshotListener>? listeners = null)
{
    private readonly ISnapshotListener[] _listeners = [.. listeners ?? []];

    private IncidentSnapshot? _current;

    public IncidentSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>Installs <paramref name="next"/> and returns what is current now; the same object again changes nothing.</summary>
    public IncidentSnapshot Install(IncidentSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Current;
        if (ReferenceEquals(previous, next))
        {
            return previous;
        }

        if (previous is { } old && old.ETag == next.ETag)
        {
            // Same content: keep the bytes already served (and what was derived from them), so only one copy stays in memory.
            next = next with { ContentChangedAt = old.ContentChangedAt, Json = old.Json, UnresolvedJson = old.UnresolvedJson, Employees = old.Employees };
        }

        foreach (var listener in _listeners)
        {
            listener.Preparing(previous, next);
        }

        Volatile.Write(ref _current, next);
        foreach (var listener in _listeners)
        {
            listener.Installed(previous, next);
        }

        return next;
    }
}
