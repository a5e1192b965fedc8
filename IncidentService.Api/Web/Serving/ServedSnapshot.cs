using System.Collections.Frozen;
using IncidentService.Core.Snapshots;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Web.Serving;

/// <summary>
/// A snapshot as it is served: every answer of <c>/incidents</c>, <c>/incidents/unresolved</c> and
/// <c>/incidents/{id}</c> in each stored coding with its tag, and the header values every answer shares. Derived from
/// an <see cref="IncidentSnapshot"/> alone by <see cref="From"/>, wherever a snapshot comes from, and deterministic:
/// the same identity bytes give the same tags on every replica.
/// </summary>
public sealed class ServedSnapshot
{
    private readonly FrozenDictionary<long, Representation> _employees;

    /// <summary>Answers built on request kept per snapshot: at most this many.</summary>
    public const int MaxFilteredAnswers = 64;

    /// <summary>And at most this many bytes, or the whole document's size if larger: the cache never holds more than twice what is served.</summary>
    public const long MinFilteredBytes = 16L * 1024 * 1024;

    private ServedSnapshot(IncidentSnapshot snapshot, Representation all, Representation unresolved, FrozenDictionary<long, Representation> employees, FilteredAnswers? filtered)
    {
        Snapshot = snapshot;
        All = all;
        Unresolved = unresolved;
        _employees = employees;
        Filtered = filtered ?? new FilteredAnswers(MaxFilteredAnswers, Math.Max(MinFilteredBytes, snapshot.Json.LongLength));
        // HTTP dates have whole seconds: a client's If-Modified-Since echoes this value, not the precise time.
        LastModifiedAt = snapshot.ContentChangedAt.AddTicks(-(snapshot.ContentChangedAt.Ticks % TimeSpan.TicksPerSecond));
        LastModified = HeaderUtilities.FormatDate(LastModifiedAt);
        MissingFeeds = snapshot.IsComplete ? null : string.Join(", ", snapshot.MissingFeeds);
        CompressedBytes = all.CompressedBytes + unresolved.CompressedBytes + employees.Values.Sum(e => e.CompressedBytes);
    }

    public IncidentSnapshot Snapshot { get; }

    public Representation All { get; }

    public Representation Unresolved { get; }

    /// <summary>The views under a filter (and the summary) asked for so far, built from this content.</summary>
    public FilteredAnswers Filtered { get; }

    /// <summary>When the content last changed, to the second.</summary>
    public DateTimeOffset LastModifiedAt { get; }

    /// <summary>The <c>Last-Modified</c> value: when the content last changed.</summary>
    public string LastModified { get; }

    /// <summary>The <c>Missing-Feeds</c> value of an incomplete snapshot; null when it is complete.</summary>
    public string? MissingFeeds { get; }

    /// <summary>All compressed bodies together.</summary>
    public long CompressedBytes { get; }

    /// <summary>Every byte this snapshot serves: the identity documents, every compressed body and the answers built on request.</summary>
    public long ServedBytes => Snapshot.Json.LongLength + Snapshot.UnresolvedJson.LongLength + CompressedBytes + Filtered.Bytes;

    public Representation? Employee(long employeeId) => _employees.GetValueOrDefault(employeeId);

    /// <summary>
    /// Serves <paramref name="snapshot"/>. When <paramref name="previous"/> served the same content (same tag), its
    /// representations are kept: nothing is compressed again.
    /// </summary>
    public static ServedSnapshot From(IncidentSnapshot snapshot, SnapshotCompression compression, ServedSnapshot? previous = null)
    {
        if (previous is not null && previous.Snapshot.ETag == snapshot.ETag)
        {
            return new ServedSnapshot(snapshot, previous.All, previous.Unresolved, previous._employees, previous.Filtered);
        }

        var json = snapshot.Json.AsMemory();
        var all = Representation.Of(json, EntityTag.Whole(snapshot), compression);
        var unresolved = Representation.Of(snapshot.UnresolvedJson, EntityTag.Unresolved(snapshot), compression);
        // 50,000 answers at 1 M incidents: compressed on every core, as a refresh's work is done when it is served.
        var ranges = snapshot.Employees.ToArray();
        var representations = new Representation[ranges.Length];
        Parallel.For(0, ranges.Length, i =>
            representations[i] = Representation.Of(json[ranges[i].Value], EntityTag.Employee(snapshot, ranges[i].Key), compression));
        var employees = ranges.Select((range, i) => KeyValuePair.Create(range.Key, representations[i])).ToFrozenDictionary();
        return new ServedSnapshot(snapshot, all, unresolved, employees, null);
    }
}
