using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using IncidentService.Core.Snapshots;

namespace IncidentService.Core.Parsing;

/// <summary>
/// Reads a feed's <c>{"results": [...]}</c> in one pass of <see cref="Utf8JsonReader"/>: no document is built, and each
/// good item is kept once, compacted, as <see cref="Incident.Json"/>, with its facts in the columns of
/// <see cref="FeedIncidents"/>. It decides exactly as reading a <see cref="JsonDocument"/> did: the whole body must be
/// JSON (depth 16), an envelope that names a field twice is refused whole, and an item is checked whole (text, repeated names, our <c>type</c>)
/// before its priority and then its timestamp.
/// </summary>
internal sealed class FeedAnswerReader
{
    private const int MaxDepth = 16;
    private const int StackTextLength = 256;
    private const int KnownPriorityTexts = 64;
    private static readonly byte[][] PriorityNames = [.. Priorities.All.Select(p => Encoding.UTF8.GetBytes(Priorities.Name(p)))];
    private static readonly byte[][] ServedPriorities = [.. Priorities.All.Select(p => Encoding.UTF8.GetBytes($"\"{Priorities.Name(p)}\""))];

    private readonly FeedDefinition _feed;
    private readonly ReadOnlyMemory<byte> _json;
    private readonly ArrayBufferWriter<byte> _item = new(512);
    private readonly NameSet[] _names = new NameSet[MaxDepth + 2];
    private readonly byte[] _prefix;
    private readonly byte[] _identityField;
    private readonly List<byte[]> _priorityTexts = [];

    // Identities that are neither a number nor a printed IPv4 (IPv6, escaped text) are read once per distinct text.
    private readonly Dictionary<string, (StoredIdentity Kind, long Value)> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (StoredIdentity Kind, long Value)>.AlternateLookup<ReadOnlySpan<char>> _identitiesByText;
    private readonly FeedIncidents _incidents;

    private FeedAnswerReader(FeedDefinition feed, ReadOnlyMemory<byte> json)
    {
        _feed = feed;
        _json = json;
        _prefix = IncidentDocumentWriter.Prefix(feed.Name);
        _identityField = Encoding.UTF8.GetBytes(feed.IdentityField);
        _identitiesByText = _identities.GetAlternateLookup<ReadOnlySpan<char>>();
        _incidents = new FeedIncidents(feed.Name);
    }

    public static FeedBatch Read(FeedDefinition feed, ReadOnlyMemory<byte> json)
    {
        var answer = new FeedAnswerReader(feed, json);
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = MaxDepth });
        bool? resultsIsArray = null;
        var batch = new FeedBatch(feed.Name, new FeedIncidents(feed.Name), ImmutableSortedDictionary<string, int>.Empty);
        (InvalidOperationException? Failure, bool AfterResults) unreadable = (null, false);
        var envelope = new NameSet();
        (bool Any, bool Results) repeated = (false, false);
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isResults = false;
                    try
                    {
                        isResults = IsResults(ref reader);
                    }
                    catch (InvalidOperationException failure)
                    {
                        unreadable = (failure, true);
                    }

                    if (!IsNewEnvelopeName(envelope, ref reader))
                    {
                        repeated = (true, repeated.Results || isResults);
                    }

                    reader.Read();
                    if (repeated.Any)
                    {
                        reader.Skip(); // the answer is refused whole: the rest is only checked to be JSON
                        continue;
                    }

                    if (isResults)
                    {
                        (resultsIsArray, unreadable.AfterResults) = (reader.TokenType == JsonTokenType.StartArray, false);
                    }

                    if (isResults && resultsIsArray == true)
                    {
                        batch = answer.ReadItems(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            while (reader.Read())
            {
                // The rest of a root that is no object, then nothing: the reader throws on anything but whitespace.
            }
        }
        catch (JsonException exception)
        {
            throw new FeedFormatException("The upstream answered with a body that is not valid JSON.", exception);
        }

        // Readers disagree on which of two equal names counts (a document takes the last, a stream reader may take the
        // first): an answer that says two things at once is refused whole, not read as either.
        if (repeated.Any)
        {
            throw new FeedFormatException(repeated.Results
                ? $"Feed '{feed.Name}' answered with 'results' named twice in its envelope."
                : $"Feed '{feed.Name}' answered with a field named twice in its envelope.");
        }

        // A document looks for "results" from its last name back and fails on a name it cannot compare before it finds
        // one: that answer is a bad body, like any other the upstream should not have sent.
        if (unreadable is ({ } unreadableName, true))
        {
            throw new FeedFormatException($"Feed '{feed.Name}' answered with a property name that is not text.", unreadableName);
        }

        return resultsIsArray switch
        {
            null => throw new FeedFormatException($"Feed '{feed.Name}' answered without a 'results' property."),
            false => throw new FeedFormatException($"Feed '{feed.Name}' answered with 'results' that is not an array."),
            true => batch,
        };
    }

    /// <summary>
    /// Whether a root name is <c>results</c>, compared as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>
    /// compares it: an escaped name is unescaped only when it is longer and starts as <c>results</c> does up to its first
    /// backslash, and then an escape that is no text (a lone surrogate) throws <see cref="InvalidOperationException"/>.
    /// </summary>
    private static bool IsResults(ref Utf8JsonReader reader)
    {
        var results = "results"u8;
        var name = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return name.SequenceEqual(results);
        }

        var backslash = name.IndexOf((byte)'\\');
        if (name.Length <= results.Length || backslash >= results.Length || !name[..backslash].SequenceEqual(results[..backslash]))
        {
            return false;
        }

        var unescaped = new byte[name.Length];
        return unescaped.AsSpan(0, reader.CopyString(unescaped)).SequenceEqual(results);
    }

    /// <summary>
    /// Adds a root name, compared unescaped, to those seen; false when it was there already. A name whose escapes are
    /// no text cannot be compared and counts as new (it is judged apart, as a document would).
    /// </summary>
    private static bool IsNewEnvelopeName(NameSet envelope, ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return envelope.Add(reader.ValueSpan);
        }

        var unescaped = new byte[reader.ValueSpan.Length];
        try
        {
            return envelope.Add(unescaped.AsSpan(0, reader.CopyString(unescaped)));
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private FeedBatch ReadItems(ref Utf8JsonReader reader)
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
            item.PriorityProblem = kind == JsonTokenType.String && TryReadPriority(ref reader, out item.Priority) ? null : MalformedReason.PriorityUnknown;
            var served = ServedPriorities[(int)item.Priority];
            if (!raw.SequenceEqual(served))
            {
                item.PriorityAsReceived = PriorityText(raw);
                raw = served;
            }
        }

        if (isTimestamp)
        {
            item.TimestampProblem = kind == JsonTokenType.Number && reader.TryGetDecimal(out item.Timestamp) ? null : MalformedReason.TimestampNotANumber;
        }

        if (isIdentity)
        {
            (item.Identity, item.IdentityValue) = ReadIdentity(ref reader);
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

    private static bool TryReadPriority(ref Utf8JsonReader reader, out Priority priority)
    {
        if (reader.ValueIsEscaped || !Ascii.IsValid(reader.ValueSpan))
        {
            return Priorities.TryParse(reader.GetString(), out priority);
        }

        // Plain ASCII: the ordinal case-insensitive match of Priorities.TryParse is ASCII case folding.
        for (var i = 0; i < PriorityNames.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(reader.ValueSpan, PriorityNames[i]))
            {
                priority = Priorities.All[i];
                return true;
            }
        }

        priority = default;
        return false;
    }

    /// <summary>As <see cref="IdentityReference.From(JsonElement?)"/> reads the same value, in the form the columns keep.</summary>
    private (StoredIdentity Kind, long Value) ReadIdentity(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return (StoredIdentity.Missing, 0);
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var id) && id >= 0 ? (StoredIdentity.Employee, id) : (StoredIdentity.Malformed, 0);
            case JsonTokenType.String when !reader.ValueIsEscaped && PrintedIPv4.TryRead(reader.ValueSpan, out var address):
                return (StoredIdentity.IPv4, address);
            case JsonTokenType.String when !reader.ValueIsEscaped && IsDigits(reader.ValueSpan):
                // IdentityReference.FromText: digits alone are an employee id, or malformed when too large for one.
                return Utf8Parser.TryParse(reader.ValueSpan, out long employee, out var consumed) && consumed == reader.ValueSpan.Length
                    ? (StoredIdentity.Employee, employee)
                    : (StoredIdentity.Malformed, 0);
            case JsonTokenType.String when !reader.ValueIsEscaped && reader.ValueSpan.Length <= StackTextLength:
                Span<char> chars = stackalloc char[StackTextLength];
                var text = chars[..Encoding.UTF8.GetChars(reader.ValueSpan, chars)];
                if (!_identitiesByText.TryGetValue(text, out var identity))
                {
                    var key = text.ToString();
                    identity = Stored(IdentityReference.FromText(key));
                    _identities[key] = identity;
                }

                return identity;
            case JsonTokenType.String:
                return Stored(IdentityReference.FromText(reader.GetString()!));
            default:
                return (StoredIdentity.Malformed, 0);
        }
    }

    private static bool IsDigits(ReadOnlySpan<byte> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    private (StoredIdentity Kind, long Value) Stored(IdentityReference identity) => identity.Kind switch
    {
        IdentityKind.Employee => (StoredIdentity.Employee, identity.EmployeeId),
        IdentityKind.Ip when PrintedIPv4.TryRead(identity.Ip, out var address) => (StoredIdentity.IPv4, address),
        IdentityKind.Ip => (StoredIdentity.IpText, _incidents.AddIpText(identity.Ip!)),
        IdentityKind.Missing => (StoredIdentity.Missing, 0),
        _ => (StoredIdentity.Malformed, 0),
    };

    /// <summary>The priority's text as received, shared by the items that sent the same (upstreams vary the case of a few words).</summary>
    private byte[] PriorityText(ReadOnlySpan<byte> raw)
    {
        foreach (var known in _priorityTexts)
        {
            if (raw.SequenceEqual(known))
            {
                return known;
            }
        }

        var text = raw.ToArray();
        if (_priorityTexts.Count < KnownPriorityTexts)
        {
            _priorityTexts.Add(text);
        }

        return text;
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
        public StoredIdentity Identity = StoredIdentity.Missing;
        public long IdentityValue;
    }
}
