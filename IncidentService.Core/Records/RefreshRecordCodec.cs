using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using IncidentService.Core.Querying;
using IncidentService.Core.Snapshots;

namespace IncidentService.Core.Records;

/// <summary>
/// Writes and reads a <see cref="RefreshRecord"/> as one sealed blob, the same for Redis and for a local file: a format
/// line naming the seal, length-prefixed sections (<c>meta</c>, <c>ledger</c> as JSON; the served bodies as stored
/// bytes), then the <see cref="RecordSeal"/> over everything before it. A torn write, a foreign or forged record, or
/// another format is rejected whole, never half used; reading never throws, whatever the bytes. The served bytes travel
/// as they are, so a reader serves exactly what the writer served.
/// </summary>
public static class RefreshRecordCodec
{
    private static readonly byte[] SignedMagic = "incident-service refresh-record 2 hmac-sha256\n"u8.ToArray();
    private static readonly byte[] UnsignedMagic = "incident-service refresh-record 2 sha256\n"u8.ToArray();

    /// <summary>The longest format line: a reader checks this much of a file before reading the rest.</summary>
    public static int HeaderLength => SignedMagic.Length;

    /// <summary>Whether <paramref name="header"/> (at least <see cref="HeaderLength"/> bytes, or the whole blob) starts a record of this format.</summary>
    public static bool HasHeader(ReadOnlySpan<byte> header) => header.StartsWith(SignedMagic) || header.StartsWith(UnsignedMagic);

    public static byte[] Write(RefreshRecord record, RecordSeal seal)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 * 1024);
        buffer.Write(seal.IsSigned ? SignedMagic : UnsignedMagic);
        Section(buffer, "meta", Json(writer => WriteMeta(writer, record)));
        Section(buffer, "ledger", Json(writer => LedgerJson.Write(writer, record.Ledger)));
        if (record.Snapshot is { } snapshot)
        {
            Section(buffer, "incidents", snapshot.Json);
            Section(buffer, "unresolved", snapshot.UnresolvedJson);
        }

        buffer.Write(seal.Compute(buffer.WrittenSpan));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a record written by <see cref="Write"/> for these <paramref name="feeds"/> under this <paramref name="seal"/>;
    /// anything else is rejected with the reason. Never throws: the bytes may come from anyone who can write the key.
    /// </summary>
    public static RecordRead Read(ReadOnlyMemory<byte> blob, IReadOnlyList<FeedDefinition> feeds, RecordSeal seal)
    {
        var span = blob.Span;
        var signed = span.StartsWith(SignedMagic);
        if (!signed && !span.StartsWith(UnsignedMagic))
        {
            return new RecordRejected(RecordRejection.Foreign, "not a refresh record of this format");
        }

        if (signed != seal.IsSigned)
        {
            return new RecordRejected(RecordRejection.SealKind, signed ? "signed, but no Snapshot:SigningKey is configured here" : "unsigned, but Snapshot:SigningKey requires a signature");
        }

        var magic = signed ? SignedMagic.Length : UnsignedMagic.Length;
        if (span.Length < magic + RecordSeal.Length || !seal.Verifies(span[..^RecordSeal.Length], span[^RecordSeal.Length..]))
        {
            return new RecordRejected(RecordRejection.Seal, signed ? "signature does not verify (another key, altered or truncated)" : "checksum mismatch (truncated or corrupt)");
        }

        try
        {
            return ReadInside(blob[magic..^RecordSeal.Length], feeds);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Whatever the inside does to the readers below (a number that overflows, a duplicate key, a null where a
            // string belongs), it is a record not to use, never a crash of the replica that read it.
            return new RecordRejected(RecordRejection.Unreadable, $"unreadable: {exception.Message}");
        }
    }

    private static RecordRead ReadInside(ReadOnlyMemory<byte> body, IReadOnlyList<FeedDefinition> feeds)
    {
        var sections = Sections(body);
        using var meta = JsonDocument.Parse(sections["meta"]);
        var root = meta.RootElement;
        var generation = root.GetProperty("generation").GetInt64();
        if (generation is < 0 or > RecordLimits.MaxGeneration)
        {
            return new RecordRejected(RecordRejection.Implausible, $"generation {generation} is beyond any cluster's");
        }

        var holder = root.GetProperty("holder").GetString();
        if (string.IsNullOrEmpty(holder))
        {
            throw new InvalidDataException("the record names no holder");
        }

        using var ledgerJson = JsonDocument.Parse(sections["ledger"]);
        var ledger = LedgerJson.Read(ledgerJson.RootElement, feeds);
        var snapshot = root.TryGetProperty("snapshot", out var snapshotMeta) && snapshotMeta.ValueKind == JsonValueKind.Object
            ? ReadSnapshot(snapshotMeta, sections["incidents"], sections["unresolved"])
            : null;
        return new RecordRestored(new RefreshRecord(generation, holder, root.GetProperty("publishedAt").GetDateTimeOffset(), ledger, snapshot));
    }

    private static void WriteMeta(Utf8JsonWriter writer, RefreshRecord record)
    {
        writer.WriteStartObject();
        writer.WriteNumber("generation", record.Generation);
        writer.WriteString("holder", record.Holder);
        writer.WriteString("publishedAt", record.PublishedAt);
        if (record.Snapshot is { } snapshot)
        {
            writer.WriteStartObject("snapshot");
            writer.WriteString("etag", snapshot.ETag);
            writer.WriteString("createdAt", snapshot.CreatedAt);
            writer.WriteString("contentChangedAt", snapshot.ContentChangedAt);
            writer.WriteString("dataAsOf", snapshot.DataAsOf);
            writer.WriteStartArray("missingFeeds");
            foreach (var feed in snapshot.MissingFeeds)
            {
                writer.WriteStringValue(feed);
            }

            writer.WriteEndArray();
            writer.WriteNumber("employees", snapshot.Counts.Employees);
            writer.WriteNumber("incidents", snapshot.Counts.Incidents);
            writer.WriteNumber("unresolved", snapshot.Counts.Unresolved);
            writer.WriteNumber("malformed", snapshot.Counts.Malformed);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static IncidentSnapshot ReadSnapshot(JsonElement meta, byte[] json, byte[] unresolved)
    {
        var missing = meta.GetProperty("missingFeeds").EnumerateArray().Select(feed => feed.GetString()!).ToImmutableArray();
        var snapshot = new IncidentSnapshot
        {
            Json = json,
            ETag = meta.GetProperty("etag").GetString()!,
            Employees = SnapshotBuilder.IndexEmployees(json),
            Index = ReadIndex(json),
            UnresolvedJson = unresolved,
            Counts = new SnapshotCounts(
                meta.GetProperty("employees").GetInt32(),
                meta.GetProperty("incidents").GetInt32(),
                meta.GetProperty("unresolved").GetInt32(),
                meta.GetProperty("malformed").GetInt32()),
            CreatedAt = meta.GetProperty("createdAt").GetDateTimeOffset(),
            ContentChangedAt = meta.GetProperty("contentChangedAt").GetDateTimeOffset(),
            DataAsOf = meta.GetProperty("dataAsOf").GetDateTimeOffset(),
            MissingFeeds = missing,
        };

        // The tag is the bytes' own: a record whose bodies do not hash to it is not served.
        return SnapshotBuilder.Tag(json, unresolved, missing) == snapshot.ETag
            ? snapshot
            : throw new InvalidDataException("the served bodies do not match their tag");
    }

    /// <summary>A stored record carries the body but not its index: it is read from the bytes.</summary>
    private static IncidentIndex ReadIndex(byte[] json)
    {
        try
        {
            return IncidentIndex.ReadBack(json);
        }
        catch (JsonException unreadable)
        {
            throw new InvalidDataException("the incidents body cannot be indexed", unreadable);
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Section(ArrayBufferWriter<byte> buffer, string name, ReadOnlySpan<byte> content)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        buffer.Write([(byte)nameBytes.Length]);
        buffer.Write(nameBytes);
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), content.Length);
        buffer.Advance(4);
        buffer.Write(content);
    }

    private static FrozenDictionary<string, byte[]> Sections(ReadOnlyMemory<byte> body)
    {
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var span = body.Span;
        while (!span.IsEmpty)
        {
            var nameLength = span[0];
            if (span.Length < 1 + nameLength + 4)
            {
                throw new InvalidDataException("a section header runs past the end");
            }

            var name = Encoding.ASCII.GetString(span.Slice(1, nameLength));
            var length = BinaryPrimitives.ReadInt32BigEndian(span.Slice(1 + nameLength, 4));
            span = span[(1 + nameLength + 4)..];
            if (length < 0 || length > span.Length)
            {
                throw new InvalidDataException($"section '{name}' runs past the end");
            }

            if (!sections.TryAdd(name, span[..length].ToArray()))
            {
                throw new InvalidDataException($"section '{name}' appears twice");
            }

            span = span[length..];
        }

        return sections.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
