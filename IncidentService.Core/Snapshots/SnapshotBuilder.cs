using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Querying;

namespace IncidentService.Core.Snapshots;

/// <summary>Aggregates feeds and identities into the contract §3 shape, byte-for-byte deterministic.</summary>
public static class SnapshotBuilder
{
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep upstream names and our keys as plain as they came; nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>
    /// The snapshot to serve for <paramref name="sources"/>: <paramref name="previous"/> itself when it was built from
    /// the same inputs (<see cref="SnapshotInputs.Same"/>) — with only its data time moved when the same data arrived
    /// again — and a new build otherwise. Keeping it costs no serialization and, since its bytes and tag stay the
    /// same, no compression either.
    /// </summary>
    public static SnapshotBuild Rebuild(SnapshotSources sources, DateTimeOffset now, IncidentSnapshot? previous)
    {
        if (previous?.Sources is not { } before || !SnapshotInputs.Same(before, sources))
        {
            return new SnapshotBuild(Build(sources, now), Kept: false);
        }

        return new SnapshotBuild(
            previous.DataAsOf == sources.DataAsOf ? previous : previous with { DataAsOf = sources.DataAsOf, Sources = sources },
            Kept: true);
    }

    public static IncidentSnapshot Build(SnapshotSources sources, DateTimeOffset now)
    {
        var (batches, identities) = (sources.Feeds, sources.Identities);
        var document = new IncidentDocumentWriter();
        var rows = new SourceRows(batches);
        var order = new IncidentOrder(rows);

        // Attribute each incident (a row) to its employee's group; the bucket of a row is 4 × group + priority.
        var buckets = new int[rows.Count];
        var groupOf = new Dictionary<long, int>();
        var unresolved = new List<(int Row, string Reason)>();
        var (malformed, at, incidentBytes) = (0, 0, 0L);
        foreach (var batch in batches)
        {
            malformed += batch.MalformedCount;
            var incidents = batch.Incidents;
            for (var row = 0; row < incidents.Count; row++, at++)
            {
                if (TryAttribute(incidents, row, identities, out var employeeId, out var reason))
                {
                    if (!groupOf.TryGetValue(employeeId, out var group))
                    {
                        group = groupOf.Count;
                        groupOf[employeeId] = group;
                    }

                    buckets[at] = (group * Priorities.All.Count) + (int)incidents.Priority(row);
                    incidentBytes += incidents.JsonLength(row);
                }
                else
                {
                    buckets[at] = -1;
                    unresolved.Add((at, reason));
                }
            }
        }

        var (employeeIds, sorted, bucketEnds) = order.ByEmployee(groupOf, buckets);
        var (json, ranges, starts) = document.WriteIncidents(rows, employeeIds, sorted, bucketEnds, incidentBytes);
        unresolved.Sort((a, b) => order.Compare(a.Row, b.Row));
        var unresolvedJson = document.WriteUnresolved(rows, unresolved);
        return new IncidentSnapshot
        {
            Json = json,
            ETag = Tag(json, unresolvedJson, sources.MissingFeeds),
            Employees = ranges,
            Index = Index(json, rows, employeeIds, sorted, bucketEnds, starts),
            UnresolvedJson = unresolvedJson,
            Counts = new SnapshotCounts(groupOf.Count, sorted.Length, unresolved.Count, malformed),
            CreatedAt = now,
            ContentChangedAt = now,
            DataAsOf = sources.DataAsOf,
            MissingFeeds = sources.MissingFeeds,
            Sources = sources,
        };
    }

    /// <summary>
    /// One hash over both documents and the missing feeds, so every tag derived from it changes when anything served
    /// changes, completeness included: a client holding an incomplete copy must not get 304 for the complete one.
    /// </summary>
    internal static string Tag(byte[] json, byte[] unresolvedJson, IEnumerable<string> missingFeeds)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(json);
        hash.AppendData(unresolvedJson);
        foreach (var feed in missingFeeds)
        {
            hash.AppendData(Encoding.UTF8.GetBytes("\n" + feed));
        }

        return '"' + Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16)) + '"';
    }

    /// <summary>Where each employee's object sits in a <c>/incidents</c> body written by this builder (for a snapshot read back from storage).</summary>
    internal static FrozenDictionary<long, Range> IndexEmployees(byte[] json)
    {
        var ranges = new Dictionary<long, Range>();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException("the incidents body is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var employeeId))
            {
                throw new InvalidDataException("an employee key of the incidents body is not an employee id");
            }

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            ranges[employeeId] = new Range(start, (int)reader.BytesConsumed);
        }

        return ranges.ToFrozenDictionary();
    }

    /// <summary>
    /// The query index of the body just written, from what the build knows of each incident: no re-reading of its
    /// bytes. <paramref name="starts"/> holds where each incident of <paramref name="sorted"/> starts in <paramref name="json"/>.
    /// </summary>
    private static IncidentIndex Index(byte[] json, SourceRows rows, long[] employeeIds, int[] sorted, int[] bucketEnds, int[] starts)
    {
        var index = new IncidentIndex(json);
        var at = 0;
        for (var rank = 0; rank < employeeIds.Length; rank++)
        {
            index.AddEmployee(employeeIds[rank]);
            for (var priority = 0; priority < Priorities.All.Count; priority++)
            {
                for (var end = bucketEnds[(rank * Priorities.All.Count) + priority]; at < end; at++)
                {
                    var row = sorted[at];
                    index.Add(Priorities.All[priority], index.FeedNumber(rows.Feed(row)), rows.Timestamp(row), starts[at], starts[at] + rows.Json(row).Length);
                }
            }
        }

        return index;
    }

    private static bool TryAttribute(FeedIncidents incidents, int row, IdentityDirectory identities, out long employeeId, out string reason)
    {
        reason = "";
        var value = incidents.IdentityValue(row);
        employeeId = value;
        switch (incidents.IdentityKindOf(row))
        {
            case IdentityKind.Employee:
                return true;
            case IdentityKind.Ip when FeedIncidents.IsPrintedIPv4(value) ? identities.TryResolve((uint)value, out employeeId) : identities.TryResolve(incidents.IpText(value), out employeeId):
                return true;
            case IdentityKind.Ip:
                reason = UnresolvedReason.IpNotInIdentities;
                return false;
            case IdentityKind.Missing:
                reason = UnresolvedReason.IdentityMissing;
                return false;
            default:
                reason = UnresolvedReason.IdentityMalformed;
                return false;
        }
    }
}

/// <summary>The snapshot to serve, and whether it is the previous one kept because its inputs did not change.</summary>
public sealed record SnapshotBuild(IncidentSnapshot Snapshot, bool Kept);
