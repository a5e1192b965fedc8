using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using IncidentService.Core.Snapshots;

namespace IncidentService.Core.Parsing;

/// <summary>
/// Reads the items of a feed's <c>results</c>: each good item is kept once, compacted, as <see cref="Incident.Json"/>,
/// with its facts in the columns of <see cref="FeedIncidents"/>. An item is checked whole (text, repeated names, our
/// <c>type</c>) before its priority and then its timestamp; a bad one is counted by its <see cref="MalformedReason"/>.
/// </summary>
internal sealed class FeedItemReader
{
    private readonly FeedDefinition _feed;
    private readonly ReadOnlyMemory<byte> _json;
    private readonly ArrayBufferWriter<byte> _item = new(512);
    private readonly NameSet[] _names;
    private readonly byte[] _prefix;
    private readonly byte[] _identityField;
    private readonly FeedIncidents _incidents;
    private readonly PriorityFieldReader _priorities = new();
    private readonly IdentityFieldReader _identities;

    public FeedItemReader(FeedDefinition feed, ReadOnlyMemory<byte> json, int maxDepth)
    {
        _feed = feed;
        _json = json;
        _names = new NameSet[maxDepth + 2];
        _prefix = IncidentDocumentWriter.Prefix(feed.Name);
        _identityField = Encoding.UTF8.GetBytes(feed.IdentityField);
        _incidents = new FeedIncidents(feed.Name);
        _identities = new IdentityFieldReader(_incidents);
    }

    /// <summary>The items of the array the reader is on, to its end.</summary>
    public FeedBatch ReadItems(ref Utf8JsonReader reader)
    {
        var malformed = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryReadItem(ref reader, out var reason))
            {
                malformed[reason] = malformed.GetValueOrDefault(reason) + 1;
            }
        }

        return new FeedBatch(_feed.Name, _incidents, malformed.ToImmutable());
    }

    /// <summary>One item, from its first token to its last, added to the incidents when it is good; the reader is left on its last token.</summary>
    private bool TryReadItem(ref Utf8JsonReader reader, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            reason = MalformedReason.NotAnObject;
            return false;
        }

        var item = new ItemFacts();
        _item.ResetWrittenCount();
        _item.Write(_prefix);
        Names(reader.CurrentDepth + 1).Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            item.Problem ??= CheckName(ref reader);
            if (item.Problem is not null)
            {
                reader.Skip(); // the name's value
                continue;
            }

            ReadField(ref reader, ref item);
        }

        reason = item.Problem ?? (item.Typed ? MalformedReason.TypeReserved : null) ?? item.PriorityProblem ?? item.TimestampProblem;
        if (reason is not null)
        {
            return false;
        }

        _item.Write("}"u8);
        _incidents.Add(_item.WrittenSpan, item.Priority, item.Timestamp, item.Identity, item.IdentityValue, item.PriorityAsReceived);
        return true;
    }

    /// <summary>One field whose name is good text and not repeated: its name (as the serializer writes it) and raw value are kept.</summary>
    private void ReadField(ref Utf8JsonReader reader, ref ItemFacts item)
    {
        var isPriority = reader.ValueTextEquals("priority"u8);
        var isTimestamp = reader.ValueTextEquals("timestamp"u8);
        var isIdentity = reader.ValueTextEquals(_identityField);
        if (reader.ValueTextEquals("type"u8))
        {
            item.Typed = true;
        }
        if (item.Fields++ > 0)
        {
            _item.Write(","u8);
        }

        WriteName(ref reader);
        reader.Read();
        var valueStart = (int)reader.TokenStartIndex;
        var kind = reader.TokenType;
        item.Problem = CheckValue(ref reader);
        if (item.Problem is not null)
        {
            return;
        }

        var raw = _json.Span[valueStart..(int)reader.BytesConsumed];
        if (isPriority)
        {
            item.PriorityProblem = kind == JsonTokenType.String && PriorityFieldReader.TryRead(ref reader, out item.Priority) ? null : MalformedReason.PriorityUnknown;
            var served = PriorityFieldReader.Served(item.Priority);
            if (!raw.SequenceEqual(served))
            {
                item.PriorityAsReceived = _priorities.AsReceived(raw);
                raw = served;
            }
        }

        if (isTimestamp)
        {
            item.TimestampProblem = kind == JsonTokenType.Number && reader.TryGetDecimal(out item.Timestamp) ? null : MalformedReason.TimestampNotANumber;
        }

        if (isIdentity)
        {
            (item.Identity, item.IdentityValue) = _identities.Read(ref reader);
        }

        _item.Write(raw);
    }

    /// <summary>The name as <see cref="SnapshotBuilder"/>'s writer writes it, then the colon.</summary>
    private void WriteName(ref Utf8JsonReader reader)
    {
        var name = reader.ValueSpan;
        if (!name.ContainsAnyExceptInRange((byte)' ', (byte)'~') && name.IndexOfAny((byte)'"', (byte)'\\') < 0)
        {
            // Printable ASCII without quote or backslash (so without escapes): the relaxed encoder leaves it as it is.
            _item.Write("\""u8);
            _item.Write(name);
            _item.Write("\":"u8);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, SnapshotBuilder.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(reader.GetString()!);
        }

        _item.Write(buffer.WrittenSpan[1..]); // without the "{"
    }

    /// <summary>Null when the name is text and not yet in its object; else the malformed reason.</summary>
    private string? CheckName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return !Utf8.IsValid(reader.ValueSpan) ? MalformedReason.TextInvalid
                : Names(reader.CurrentDepth).Add(reader.ValueSpan) ? null
                : MalformedReason.FieldDuplicate;
        }

        return Text(ref reader) is not { } name ? MalformedReason.TextInvalid
            : Names(reader.CurrentDepth).Add(Encoding.UTF8.GetBytes(name)) ? null
            : MalformedReason.FieldDuplicate;
    }

    /// <summary>Reads the value the reader is on to its end, checking every name and string in it.</summary>
    private string? CheckValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return CheckString(ref reader);
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                break;
            default:
                return null;
        }

        var depth = reader.CurrentDepth;
        string? problem = null;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            Names(depth + 1).Clear();
        }

        while (reader.Read() && reader.CurrentDepth > depth)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when problem is null:
                    Names(reader.CurrentDepth + 1).Clear();
                    break;
                case JsonTokenType.PropertyName:
                    problem ??= CheckName(ref reader);
                    break;
                case JsonTokenType.String:
                    problem ??= CheckString(ref reader);
                    break;
            }
        }

        return problem;
    }

    private static string? CheckString(ref Utf8JsonReader reader) =>
        (reader.ValueIsEscaped ? Text(ref reader) is not null : Utf8.IsValid(reader.ValueSpan)) ? null : MalformedReason.TextInvalid;

    /// <summary>The unescaped text, or null when it is not text (a lone surrogate escape, bytes that are not UTF-8).</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private NameSet Names(int depth) => _names[depth] ??= new NameSet();

    /// <summary>What reading one item has found so far.</summary>
    private struct ItemFacts
    {
        public ItemFacts()
        {
        }

        public string? Problem;
        public bool Typed;
        public string? PriorityProblem = MalformedReason.PriorityMissing;
        public int Fields;
        public Priority Priority;
        public byte[]? PriorityAsReceived;
        public string? TimestampProblem = MalformedReason.TimestampMissing;
        public decimal Timestamp;
        public IdentityKind Identity = IdentityKind.Missing;
        public long IdentityValue;
    }
}
