using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IncidentService.Core;

/// <summary>
/// Where each incident sits in a snapshot's <c>/incidents</c> body, with what a filter or a summary needs (employee,
/// priority, feed, timestamp). Read back from the body alone, so it serves a snapshot however that was obtained.
/// </summary>
public sealed class IncidentIndex
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly byte[] _json;

    private IncidentIndex(byte[] json, ImmutableArray<IndexedIncident> incidents) => (_json, Incidents) = (json, incidents);

    /// <summary>Every incident in the body's order: by employee id, then priority, then time.</summary>
    public ImmutableArray<IndexedIncident> Incidents { get; }

    /// <summary>Reads the index of an <c>/incidents</c> body as <see cref="SnapshotBuilder"/> writes it.</summary>
    public static IncidentIndex Read(byte[] json)
    {
        var incidents = ImmutableArray.CreateBuilder<IndexedIncident>();
        var feeds = new Dictionary<string, string>(StringComparer.Ordinal); // one string per feed name, not one per incident
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var employeeId = long.Parse(reader.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (!Priorities.TryParse(reader.GetString(), out var priority))
                {
                    throw new JsonException($"unknown priority '{reader.GetString()}'");
                }

                Expect(ref reader, JsonTokenType.StartObject);
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (!reader.ValueTextEquals("incidents"u8))
                    {
                        reader.Skip();
                        continue;
                    }

                    Expect(ref reader, JsonTokenType.StartArray);
                    while (Next(ref reader) == JsonTokenType.StartObject)
                    {
                        incidents.Add(ReadIncident(ref reader, employeeId, priority, feeds));
                    }
                }
            }
        }

        return new IncidentIndex(json, incidents.ToImmutable());
    }

    /// <summary>The body of <c>/incidents</c> restricted to <paramref name="filter"/>: the same shape, the same incident bytes.</summary>
    public byte[] Write(IncidentFilter filter)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(16, _json.Length / 4)); // a capacity of 0 throws: the body "{}" has no incidents
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var employee in Matching(filter).GroupBy(i => i.EmployeeId))
            {
                writer.WriteStartObject(employee.Key.ToString(CultureInfo.InvariantCulture));
                var byPriority = employee.ToLookup(i => i.Priority);
                foreach (var priority in Priorities.All)
                {
                    var list = byPriority[priority];
                    writer.WriteStartObject(Priorities.Name(priority));
                    writer.WriteNumber("count", list.Count());
                    writer.WriteStartArray("incidents");
                    foreach (var incident in list)
                    {
                        writer.WriteRawValue(_json.AsSpan()[incident.Json], skipInputValidation: true);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public IEnumerable<IndexedIncident> Matching(IncidentFilter filter) =>
        filter.IsEverything ? Incidents : Incidents.Where(i => filter.Matches(i.Priority, i.Feed, i.Timestamp));

    private static IndexedIncident ReadIncident(ref Utf8JsonReader reader, long employeeId, Priority priority, Dictionary<string, string> feeds)
    {
        var start = (int)reader.TokenStartIndex;
        string? feed = null;
        decimal? timestamp = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Next(ref reader);
                var name = reader.GetString()!;
                feed = feeds.TryGetValue(name, out var known) ? known : feeds[name] = name;
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                Next(ref reader);
                timestamp = reader.GetDecimal();
            }
            else
            {
                reader.Skip(); // from a property name: past its value, however nested
            }
        }

        return new IndexedIncident(
            employeeId,
            priority,
            feed ?? throw new JsonException("an incident without a type"),
            timestamp ?? throw new JsonException("an incident without a timestamp"),
            new Range(start, (int)reader.BytesConsumed));
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the body ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (Next(ref reader) != token)
        {
            throw new JsonException($"expected {token} at byte {reader.TokenStartIndex}, found {reader.TokenType}");
        }
    }
}

/// <summary>One incident of a snapshot: whose, its priority, feed and timestamp, and its bytes in the body.</summary>
public readonly record struct IndexedIncident(long EmployeeId, Priority Priority, string Feed, decimal Timestamp, Range Json);
