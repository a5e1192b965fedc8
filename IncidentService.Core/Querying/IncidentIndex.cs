using System.Buffers;
using System.Buffers.Text;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IncidentService.Core.Compact;
using IncidentService.Core.Snapshots;

namespace IncidentService.Core.Querying;

/// <summary>
/// Where each incident sits in a snapshot's <c>/incidents</c> body, with what a filter or a summary needs (employee,
/// priority, feed, timestamp). The build fills it as it writes the body (<see cref="SnapshotBuilder"/>); a body read
/// back from a stored record has it read from its bytes (<see cref="ReadBack"/>).
/// </summary>
public sealed class IncidentIndex
{

    private readonly byte[] _json;

    // One row per incident, in columns (about 30 bytes a row where an IndexedIncident is 48, and no array outgrown on
    // the way): the store indexes every snapshot it is given, a million incidents included.
    private readonly List<long> _employeeIds = [];
    private readonly List<string> _feeds = [];
    private readonly List<byte[]> _feedNames = [];
    private readonly Column<int> _employees = new();
    private readonly Column<byte> _priorities = new();
    private readonly Column<int> _feedOf = new();
    private readonly Column<decimal> _timestamps = new();
    private readonly Column<int> _starts = new();
    private readonly Column<int> _ends = new();

    internal IncidentIndex(byte[] json)
    {
        _json = json;
        Incidents = new Rows(this);
    }

    /// <summary>Every incident in the body's order: by employee id, then priority, then time (made as they are read).</summary>
    public IReadOnlyList<IndexedIncident> Incidents { get; }

    /// <summary>
    /// Reads the index of an <c>/incidents</c> body as <see cref="SnapshotBuilder"/> writes it: for a body that comes
    /// back from a stored record (Redis or a file), which carries the bytes but not the index.
    /// </summary>
    public static IncidentIndex ReadBack(byte[] json)
    {
        var index = new IncidentIndex(json);
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            index.AddEmployee(EmployeeId(ref reader));
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var priority = PriorityOf(ref reader);
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
                        index.ReadIncident(ref reader, priority);
                    }
                }
            }
        }

        return index;
    }

    /// <summary>The body of <c>/incidents</c> restricted to <paramref name="filter"/>: the same shape, the same incident bytes.</summary>
    public byte[] Write(IncidentFilter filter)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(16, _json.Length / 4)); // a capacity of 0 throws: the body "{}" has no incidents
        using (var writer = new Utf8JsonWriter(buffer, SnapshotBuilder.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var employee in Matching(filter).GroupBy(i => i.EmployeeId))
            {
                writer.WriteStartObject(employee.Key.ToString(CultureInfo.InvariantCulture));
                var byPriority = employee.ToLookup(i => i.Priority);
                foreach (var priority in Priorities.All)
                {
                    var list = byPriority[priority];
                    writer.WriteStartObject(Priorities.Utf8Names[(int)priority]);
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

    /// <summary>Starts the next employee's incidents: employees come in the body's order.</summary>
    internal void AddEmployee(long employeeId) => _employeeIds.Add(employeeId);

    /// <summary>The next incident of the last employee added, at <paramref name="start"/> to <paramref name="end"/> in the body.</summary>
    internal void Add(Priority priority, int feed, decimal timestamp, int start, int end)
    {
        _employees.Add(_employeeIds.Count - 1);
        _priorities.Add((byte)priority);
        _feedOf.Add(feed);
        _timestamps.Add(timestamp);
        _starts.Add(start);
        _ends.Add(end);
    }

    /// <summary>The position of <paramref name="feed"/> among the feeds seen, added when new: a handful of names.</summary>
    internal int FeedNumber(string feed)
    {
        for (var i = 0; i < _feeds.Count; i++)
        {
            if (string.Equals(_feeds[i], feed, StringComparison.Ordinal))
            {
                return i;
            }
        }

        _feeds.Add(feed);
        _feedNames.Add(Encoding.UTF8.GetBytes(feed));
        return _feeds.Count - 1;
    }

    public IEnumerable<IndexedIncident> Matching(IncidentFilter filter)
    {
        for (var row = 0; row < _starts.Count; row++)
        {
            if (filter.IsEverything || filter.Matches((Priority)_priorities[row], _feeds[_feedOf[row]], _timestamps[row]))
            {
                yield return Incident(row);
            }
        }
    }

    private IndexedIncident Incident(int row) => new(
        _employeeIds[_employees[row]], (Priority)_priorities[row], _feeds[_feedOf[row]], _timestamps[row], new Range(_starts[row], _ends[row]));

    /// <summary>The employee id a name is, as <c>long.Parse</c> with no sign, spaces or separators reads it; digits as they are, without a string.</summary>
    private static long EmployeeId(ref Utf8JsonReader reader)
    {
        var name = reader.ValueSpan;
        return !reader.ValueIsEscaped && !name.IsEmpty && !name.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && Utf8Parser.TryParse(name, out long id, out var consumed) && consumed == name.Length
            ? id
            : long.Parse(reader.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>A priority's name: lower-case as written here, else (a body from elsewhere) matched as the contract matches it.</summary>
    private static Priority PriorityOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < Priorities.Utf8Names.Count; i++)
        {
            if (reader.ValueTextEquals(Priorities.Utf8Names[i]))
            {
                return Priorities.All[i];
            }
        }

        return Priorities.TryParse(reader.GetString(), out var priority)
            ? priority
            : throw new JsonException($"unknown priority '{reader.GetString()}'");
    }

    private void ReadIncident(ref Utf8JsonReader reader, Priority priority)
    {
        var start = (int)reader.TokenStartIndex;
        int? feed = null;
        decimal? timestamp = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Next(ref reader);
                feed = Feed(ref reader);
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

        Add(
            priority,
            feed ?? throw new JsonException("an incident without a type"),
            timestamp ?? throw new JsonException("an incident without a timestamp"),
            start,
            (int)reader.BytesConsumed);
    }

    /// <summary>The position of the incident's feed among those seen: a handful of names, compared where they are written.</summary>
    private int Feed(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _feedNames.Count; i++)
        {
            if (reader.ValueTextEquals(_feedNames[i]))
            {
                return i;
            }
        }

        return FeedNumber(reader.GetString() ?? throw new JsonException("an incident whose type is null"));
    }

    /// <summary>The rows as <see cref="IndexedIncident"/> values, made as they are read.</summary>
    private sealed class Rows(IncidentIndex index) : IReadOnlyList<IndexedIncident>
    {
        public int Count => index._starts.Count;

        public IndexedIncident this[int row] => (uint)row < (uint)Count ? index.Incident(row) : throw new ArgumentOutOfRangeException(nameof(row));

        public IEnumerator<IndexedIncident> GetEnumerator() => index.Matching(IncidentFilter.Everything).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
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
