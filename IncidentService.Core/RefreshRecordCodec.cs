using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IncidentService.Core;

/// <summary>
/// Writes and reads a <see cref="RefreshRecord"/> as one self-checking blob, the same for Redis and for a local file:
/// a format line, length-prefixed sections (<c>meta</c>, <c>ledger</c> as JSON; the served bodies as stored bytes),
/// then a SHA-256 of everything before it. A torn write, a foreign file or another format is rejected whole, never
/// half used. The served bytes travel as they are, so a reader serves exactly what the writer served.
/// </summary>
public static class RefreshRecordCodec
{
    private static readonly byte[] Magic = "incident-service refresh-record 1\n"u8.ToArray();
    private const int HashLength = 32;

    public static byte[] Write(RefreshRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 * 1024);
        buffer.Write(Magic);
        Section(buffer, "meta", Json(writer => WriteMeta(writer, record)));
        Section(buffer, "ledger", Json(writer => LedgerJson.Write(writer, record.Ledger)));
        if (record.Snapshot is { } snapshot)
        {
            Section(buffer, "incidents", snapshot.Json);
            Section(buffer, "unresolved", snapshot.UnresolvedJson);
        }

        buffer.Write(SHA256.HashData(buffer.WrittenSpan));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a record written by <see cref="Write"/> for these <paramref name="feeds"/>; anything else is rejected with the reason.</summary>
    public static RecordRead Read(ReadOnlyMemory<byte> blob, IReadOnlyList<FeedDefinition> feeds)
    {
        var span = blob.Span;
        if (!span.StartsWith(Magic))
        {
            return new RecordRejected("not a refresh record of this format");
        }

        if (span.Length < Magic.Length + HashLength || !SHA256.HashData(span[..^HashLength]).AsSpan().SequenceEqual(span[^HashLength..]))
        {
            return new RecordRejected("checksum mismatch (truncated or corrupt)");
        }

        try
        {
            var sections = Sections(blob[Magic.Length..^HashLength]);
            using var meta = JsonDocument.Parse(sections["meta"]);
            using var ledgerJson = JsonDocument.Parse(sections["ledger"]);
            var root = meta.RootElement;
            var ledger = LedgerJson.Read(ledgerJson.RootElement, feeds);
            var snapshot = root.TryGetProperty("snapshot", out var snapshotMeta) && snapshotMeta.ValueKind == JsonValueKind.Object
                ? ReadSnapshot(snapshotMeta, sections["incidents"], sections["unresolved"])
                : null;
            return new RecordRestored(new RefreshRecord(
                root.GetProperty("generation").GetInt64(),
                root.GetProperty("holder").GetString()!,
                root.GetProperty("publishedAt").GetDateTimeOffset(),
                ledger,
                snapshot));
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException or FeedFormatException)
        {
            return new RecordRejected($"unreadable: {exception.Message}");
        }
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

            sections[name] = span[..length].ToArray();
            span = span[length..];
        }

        return sections.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
