using System.Buffers;
using System.Buffers.Text;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace IncidentService.Core.Snapshots;

/// <summary>
/// Writes the served documents straight from the parsed incidents (the rows of <see cref="SourceRows"/>), each already
/// in its served form (<see cref="Incident.Json"/>), into an array of the document's exact size: one walk counts, a second writes.
/// The bytes are those a <see cref="Utf8JsonWriter"/> with <see cref="SnapshotBuilder.WriterOptions"/> writes.
/// </summary>
internal sealed class IncidentDocumentWriter
{
    private byte[]? _buffer;
    private int _position;
    private int[]? _incidentStarts;

    /// <summary><c>{"type":"feed",</c>: what every incident of a feed starts with (an incident has at least two fields).</summary>
    public static byte[] Prefix(string feed)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, SnapshotBuilder.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", feed);
        }

        return [.. buffer.WrittenSpan, (byte)','];
    }

    /// <summary>
    /// The whole <c>/incidents</c> body: employees by id, each with its four priorities in order, each list as sorted
    /// in <paramref name="sorted"/>, which holds each employee's rows by priority in <paramref name="bucketEnds"/>
    /// (bucket <c>4 × rank + priority</c> ends where the next starts). The counting walk takes the structure only and
    /// adds <paramref name="incidentBytes"/>, the incidents' own length, so it touches no incident. The writing walk
    /// notes where each incident of <paramref name="sorted"/> starts, for the query index.
    /// </summary>
    public (byte[] Json, FrozenDictionary<long, Range> Ranges, int[] IncidentStarts) WriteIncidents(SourceRows rows, long[] employeeIds, int[] sorted, int[] bucketEnds, long incidentBytes)
    {
        var ranges = new Dictionary<long, Range>(employeeIds.Length);
        Write();
        _buffer = new byte[_position + incidentBytes];
        var starts = _incidentStarts = new int[sorted.Length];
        Write();
        _incidentStarts = null;
        return (Take(), ranges.ToFrozenDictionary(), starts);

        void Write()
        {
            _position = 0;
            Put("{"u8);
            var at = 0;
            for (var rank = 0; rank < employeeIds.Length; rank++)
            {
                Put(rank == 0 ? "\""u8 : ",\""u8);
                Put(employeeIds[rank]);
                Put("\":"u8);
                var start = _position;
                Put("{"u8);
                for (var priority = 0; priority < Priorities.Utf8Names.Count; priority++)
                {
                    var end = bucketEnds[(rank * Priorities.Utf8Names.Count) + priority];
                    Put(priority == 0 ? "\""u8 : ",\""u8);
                    Put(Priorities.Utf8Names[priority]);
                    Put("\":{\"count\":"u8);
                    Put(end - at);
                    Put(",\"incidents\":["u8);
                    PutIncidents(rows, sorted, at, end);
                    Put("]}"u8);
                    at = end;
                }

                Put("}"u8);
                ranges[employeeIds[rank]] = new Range(start, _position);
            }

            Put("}"u8);
        }
    }

    /// <summary>The <c>/incidents/unresolved</c> body, in the order given.</summary>
    public byte[] WriteUnresolved(SourceRows rows, IReadOnlyList<(int Row, string Reason)> unresolved)
    {
        Write();
        _buffer = new byte[_position];
        Write();
        return Take();

        void Write()
        {
            _position = 0;
            Put("{\"count\":"u8);
            Put(unresolved.Count);
            Put(",\"incidents\":["u8);
            for (var i = 0; i < unresolved.Count; i++)
            {
                Put(i == 0 ? "{\"reason\":\""u8 : ",{\"reason\":\""u8);
                Put(Encoding.UTF8.GetBytes(unresolved[i].Reason));
                Put("\",\"incident\":"u8);
                Put(rows.Json(unresolved[i].Row));
                Put("}"u8);
            }

            Put("]}"u8);
        }
    }

    /// <summary>Incidents <paramref name="from"/> to <paramref name="to"/>, comma-separated; when counting, only the commas (their bytes are known).</summary>
    private void PutIncidents(SourceRows rows, int[] sorted, int from, int to)
    {
        if (_buffer is null)
        {
            _position += Math.Max(0, to - from - 1);
            return;
        }

        for (var i = from; i < to; i++)
        {
            if (i > from)
            {
                _buffer[_position++] = (byte)',';
            }

            _incidentStarts![i] = _position;
            Put(rows.Json(sorted[i]));
        }
    }

    private byte[] Take()
    {
        var buffer = _buffer!;
        (_buffer, _position) = (null, 0);
        return buffer;
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        if (_buffer is not null)
        {
            bytes.CopyTo(_buffer.AsSpan(_position));
        }

        _position += bytes.Length;
    }

    private void Put(long number)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out var written);
        Put(digits[..written]);
    }
}
