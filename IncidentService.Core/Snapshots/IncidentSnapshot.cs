using System.Collections.Frozen;
using System.Collections.Immutable;
using IncidentService.Core.Querying;
using IncidentService.Core.Ledger;

namespace IncidentService.Core.Snapshots;

/// <summary>
/// One immutable, fully serialized view of every feed's last good data. Built off the request path, swapped
/// atomically, and served as stored bytes: requests never serialize.
/// </summary>
public sealed record IncidentSnapshot
{
    /// <summary>The whole <c>/incidents</c> body (contract §3), UTF-8.</summary>
    public required byte[] Json { get; init; }

    /// <summary>
    /// A strong validator of everything this snapshot serves (<see cref="Json"/> and <see cref="UnresolvedJson"/>):
    /// equal bytes give an equal tag, and any change changes it, so the tags derived from it for its parts stay strong.
    /// </summary>
    public required string ETag { get; init; }

    /// <summary>Where each employee's per-priority object sits inside <see cref="Json"/>.</summary>
    public required FrozenDictionary<long, Range> Employees { get; init; }

    /// <summary>Where each incident sits in <see cref="Json"/>, with what filters and summaries need.</summary>
    public required IncidentIndex Index { get; init; }

    /// <summary>The <c>/incidents/unresolved</c> body, UTF-8.</summary>
    public required byte[] UnresolvedJson { get; init; }

    public required SnapshotCounts Counts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When what the snapshot serves last changed; a refresh that brings the same data keeps it.</summary>
    public required DateTimeOffset ContentChangedAt { get; init; }

    /// <summary>When the oldest data in this snapshot was received from the upstream: its age is the data's age.</summary>
    public required DateTimeOffset DataAsOf { get; init; }

    /// <summary>Feeds that never answered: their incidents are not in this snapshot. Empty when it is complete.</summary>
    public required ImmutableArray<string> MissingFeeds { get; init; }

    /// <summary>
    /// What it was built from, so that a cycle bringing the same inputs can keep it (<see cref="SnapshotBuilder.Rebuild"/>);
    /// null for a snapshot that came from elsewhere, which the next build replaces.
    /// </summary>
    public SnapshotSources? Sources { get; init; }

    public bool IsComplete => MissingFeeds.IsEmpty;

    public ReadOnlyMemory<byte>? ForEmployee(long employeeId) =>
        Employees.TryGetValue(employeeId, out var range) ? Json.AsMemory()[range] : (ReadOnlyMemory<byte>?)null; // a bare null would become an empty slice
}

/// <summary>Sizes of a snapshot. Malformed items never reach the snapshot; they are counted per feed and reason.</summary>
public sealed record SnapshotCounts(int Employees, int Incidents, int Unresolved, int Malformed);
