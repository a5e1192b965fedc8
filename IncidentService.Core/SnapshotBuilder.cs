using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IncidentService.Core;

/// <summary>Aggregates feeds and identities into the contract §3 shape, byte-for-byte deterministic.</summary>
public static class SnapshotBuilder
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep upstream names and our keys as plain as they came; nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>An employee's id, braces, the four priorities' names, counts and brackets: about 150 bytes, with room.</summary>
    private const int EmployeeOverhead = 192;

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
        var byEmployee = new Dictionary<long, List<Placed>[]>();
        var unresolved = new List<(Placed Incident, string Reason)>();
        var malformed = 0;
        foreach (var batch in batches)
        {
            malformed += batch.MalformedCount;
            foreach (var incident in batch.Incidents)
            {
                var placed = new Placed(incident.Priority, incident.Timestamp, Serialize(incident));
                if (TryAttribute(incident.Identity, identities, out var employeeId, out var reason))
                {
                    if (!byEmployee.TryGetValue(employeeId, out var lists))
                    {
                        lists = [[], [], [], []];
                        byEmployee[employeeId] = lists;
                    }

                    lists[(int)incident.Priority].Add(placed);
                }
                else
                {
                    unresolved.Add((placed, reason));
                }
            }
        }

        var (json, ranges) = WriteIncidents(byEmployee);
        unresolved.Sort((a, b) => Placed.Compare(a.Incident, b.Incident));
        var unresolvedJson = WriteUnresolved(unresolved);
        return new IncidentSnapshot
        {
            Json = json,
            ETag = Tag(json, unresolvedJson, sources.MissingFeeds),
            Employees = ranges,
            UnresolvedJson = unresolvedJson,
            Counts = new SnapshotCounts(byEmployee.Count, byEmployee.Values.Sum(l => l.Sum(p => p.Count)), unresolved.Count, malformed),
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
            var employeeId = long.Parse(reader.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            ranges[employeeId] = new Range(start, (int)reader.BytesConsumed);
        }

        return ranges.ToFrozenDictionary();
    }

    private static bool TryAttribute(IdentityReference identity, IdentityDirectory identities, out long employeeId, out string reason)
    {
        reason = "";
        employeeId = identity.EmployeeId;
        switch (identity.Kind)
        {
            case IdentityKind.Employee:
                return true;
            case IdentityKind.Ip when identities.TryResolve(identity.Ip!, out employeeId):
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

    private static (byte[] Json, FrozenDictionary<long, Range> Ranges) WriteIncidents(Dictionary<long, List<Placed>[]> byEmployee)
    {
        // Sized for the whole document up front: a doubling buffer held up to three times the document while it grew.
        var buffer = new ArrayBufferWriter<byte>(2 + byEmployee.Values.Sum(lists => EmployeeOverhead + lists.Sum(list => list.Sum(p => p.Json.Length + 1))));
        var ranges = new Dictionary<long, Range>(byEmployee.Count);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (employeeId, lists) in byEmployee.OrderBy(e => e.Key))
            {
                writer.WritePropertyName(employeeId.ToString(CultureInfo.InvariantCulture));
                writer.Flush();
                var start = buffer.WrittenCount;
                writer.WriteStartObject();
                foreach (var priority in Priorities.All)
                {
                    var list = lists[(int)priority];
                    list.Sort(Placed.Compare);
                    writer.WriteStartObject(Priorities.Name(priority));
                    writer.WriteNumber("count", list.Count);
                    writer.WriteStartArray("incidents");
                    foreach (var placed in list)
                    {
                        writer.WriteRawValue(placed.Json, skipInputValidation: true);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.Flush();
                ranges[employeeId] = new Range(start, buffer.WrittenCount);
            }

            writer.WriteEndObject();
        }

        return (buffer.WrittenSpan.ToArray(), ranges.ToFrozenDictionary());
    }

    private static byte[] WriteUnresolved(List<(Placed Incident, string Reason)> unresolved)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("count", unresolved.Count);
            writer.WriteStartArray("incidents");
            foreach (var (placed, reason) in unresolved)
            {
                writer.WriteStartObject();
                writer.WriteString("reason", reason);
                writer.WritePropertyName("incident");
                writer.WriteRawValue(placed.Json, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"type": feed, ...fields as received}</c>, with the priority written lower-case.</summary>
    private static byte[] Serialize(Incident incident)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", incident.Feed);
            foreach (var field in incident.Fields)
            {
                if (field.Name == "priority")
                {
                    writer.WriteString("priority", Priorities.Name(incident.Priority));
                }
                else
                {
                    writer.WritePropertyName(field.Name);
                    writer.WriteRawValue(field.RawJson, skipInputValidation: true);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An incident ready to write. Ties on timestamp fall back to the serialized bytes (which start with the feed).</summary>
    private sealed record Placed(Priority Priority, decimal Timestamp, byte[] Json)
    {
        public static int Compare(Placed? a, Placed? b)
        {
            var byTime = a!.Timestamp.CompareTo(b!.Timestamp);
            return byTime != 0 ? byTime : a.Json.AsSpan().SequenceCompareTo(b.Json);
        }
    }
}

/// <summary>The snapshot to serve, and whether it is the previous one kept because its inputs did not change.</summary>
public sealed record SnapshotBuild(IncidentSnapshot Snapshot, bool Kept);
