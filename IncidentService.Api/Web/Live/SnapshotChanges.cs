using IncidentService.Api.Snapshots;
using IncidentService.Core.Snapshots;


namespace IncidentService.Api.Web.Live;

/// <summary>
/// The changes of the served content, as the store installs snapshots (built here, or a leader's record installed by
/// a follower). The difference is computed once per install; streams wait on <see cref="Next"/> and read the recent
/// changes they have not sent.
/// </summary>
public sealed class SnapshotChanges : ISnapshotListener
{
    /// <summary>Changes kept for streams that fall behind or resume; older ones are summed up as "the latest, capped".</summary>
    internal const int Kept = 8;

    private readonly Lock _gate = new();
    private SnapshotChange[] _recent = [];
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    /// <summary>Completes when the next change arrives; take it before reading <see cref="After"/>, so none is missed.</summary>
    internal Task Next
    {
        get
        {
            lock (_gate)
            {
                return _next.Task;
            }
        }
    }

    internal SnapshotChange? Latest
    {
        get
        {
            lock (_gate)
            {
                return _recent.Length == 0 ? null : _recent[^1];
            }
        }
    }

    /// <summary>Called by the store on every install; the same content again is no change.</summary>
    public void Installed(IncidentSnapshot? previous, IncidentSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous?.ETag == current.ETag)
        {
            return;
        }

        var changed = EmployeeChanges.Between(previous, current);
        TaskCompletionSource signal;
        lock (_gate)
        {
            var change = new SnapshotChange(++_sequence, current.ETag, current.DataAsOf, current.IsComplete, current.MissingFeeds, changed);
            _recent = [.. _recent.Skip(Math.Max(0, _recent.Length - Kept + 1)), change];
            signal = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>
    /// The changes after <paramref name="sequence"/>, oldest first; <c>Lost</c> when some were dropped before this
    /// stream read them (then only the latest is given).
    /// </summary>
    internal (IReadOnlyList<SnapshotChange> Changes, bool Lost) After(long sequence)
    {
        SnapshotChange[] recent;
        lock (_gate)
        {
            recent = _recent;
        }

        if (recent.Length == 0 || recent[^1].Sequence <= sequence)
        {
            return ([], false);
        }

        return recent[0].Sequence > sequence + 1 && sequence > 0
            ? ([recent[^1]], true)
            : ([.. recent.Where(c => c.Sequence > sequence)], false);
    }

    /// <summary>The sequence of the kept change with this tag (a stream's <c>Last-Event-ID</c>); null when none is kept.</summary>
    internal long? SequenceOf(string tag)
    {
        lock (_gate)
        {
            return Array.FindLast(_recent, c => c.ETag == tag)?.Sequence;
        }
    }
}
