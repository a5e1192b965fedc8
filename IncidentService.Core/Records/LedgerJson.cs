using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;

namespace IncidentService.Core.Records;

/// <summary>
/// The refresh ledger as JSON. Each feed's last good answer is stored as the items it was read from, and read back
/// through the same <see cref="FeedBatch.Parse"/> as an upstream answer: a restored incident is the incident received.
/// </summary>
internal static class LedgerJson
{
    public static void Write(Utf8JsonWriter writer, RefreshLedger ledger)
    {
        writer.WriteStartObject();
        writer.WriteString("startedAt", ledger.StartedAt);
        writer.WriteStartArray("feeds");
        foreach (var feed in ledger.Feeds)
        {
            writer.WriteStringValue(feed);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("targets");
        foreach (var state in ledger.Targets.Values)
        {
            WriteTarget(writer, state);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("lastGoodFeeds");
        foreach (var (feed, batch) in ledger.LastGoodFeeds)
        {
            writer.WriteStartObject(feed);
            WriteCounts(writer, "malformed", batch.Malformed);
            writer.WritePropertyName("answer");
            WriteAnswer(writer, batch);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (ledger.Identities is { } identities)
        {
            writer.WritePropertyName("identities");
            WriteDirectory(writer, identities);
        }

        if (ledger.IdentityHistory is { } history)
        {
            writer.WriteStartObject("identityHistory");
            writer.WriteString("trustedAt", history.TrustedAt);
            writer.WritePropertyName("trusted");
            WriteDirectory(writer, history.Trusted);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static RefreshLedger Read(JsonElement root, IReadOnlyList<FeedDefinition> definitions)
    {
        var feeds = root.GetProperty("feeds").EnumerateArray().Select(feed => feed.GetString()!).ToList();
        if (!feeds.SequenceEqual(definitions.Select(d => d.Name)))
        {
            throw new InvalidDataException($"written for the feeds {string.Join(", ", feeds)}, not those configured here");
        }

        var byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var batches = root.GetProperty("lastGoodFeeds").EnumerateObject()
            .Select(feed => ReadBatch(byName[feed.Name], feed.Value))
            .ToList();
        IdentityHistory? history = root.TryGetProperty("identityHistory", out var h)
            ? new IdentityHistory(ReadDirectory(h.GetProperty("trusted")), h.GetProperty("trustedAt").GetDateTimeOffset())
            : null;
        return RefreshLedger.Restore(
            root.GetProperty("startedAt").GetDateTimeOffset(),
            feeds,
            root.GetProperty("targets").EnumerateArray().Select(ReadTarget),
            batches,
            root.TryGetProperty("identities", out var identities) ? ReadDirectory(identities) : null,
            history);
    }

    private static void WriteTarget(Utf8JsonWriter writer, TargetState state)
    {
        writer.WriteStartObject();
        writer.WriteString("name", state.Name);
        Time("lastAttempt", state.LastAttempt);
        Time("lastSuccess", state.LastSuccess);
        if (state.LastError is { } error)
        {
            writer.WriteString("lastError", error);
        }

        if (state.LastErrorKind is { } kind)
        {
            writer.WriteString("lastErrorKind", FetchFailureKinds.Label(kind));
        }

        Time("failingSince", state.FailingSince);
        writer.WriteNumber("consecutiveFailures", state.ConsecutiveFailures);
        Time("retryAt", state.RetryAt);
        writer.WriteNumber("items", state.Items);
        WriteCounts(writer, "malformed", state.Malformed);
        if (state.LastDuration is { } duration)
        {
            writer.WriteNumber("lastDurationTicks", duration.Ticks);
        }

        if (state.Note is { } note)
        {
            writer.WriteString("note", note);
        }

        writer.WriteEndObject();

        void Time(string name, DateTimeOffset? value)
        {
            if (value is { } time)
            {
                writer.WriteString(name, time);
            }
        }
    }

    private static TargetState ReadTarget(JsonElement target) => new(target.GetProperty("name").GetString()!)
    {
        LastAttempt = target.Time("lastAttempt"),
        LastSuccess = target.Time("lastSuccess"),
        LastError = target.TryGetProperty("lastError", out var error) ? error.GetString() : null,
        LastErrorKind = target.TryGetProperty("lastErrorKind", out var kind)
            ? FetchFailureKinds.TryParse(kind.GetString(), out var known) ? known : FetchFailureKind.Unexpected
            : null,
        FailingSince = target.Time("failingSince"),
        ConsecutiveFailures = target.GetProperty("consecutiveFailures").GetInt32(),
        RetryAt = target.Time("retryAt"),
        Items = target.GetProperty("items").GetInt32(),
        Malformed = ReadCounts(target.GetProperty("malformed")),
        LastDuration = target.TryGetProperty("lastDurationTicks", out var ticks) ? TimeSpan.FromTicks(ticks.GetInt64()) : null,
        Note = target.TryGetProperty("note", out var note) ? note.GetString() : null,
    };

    private static DateTimeOffset? Time(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetDateTimeOffset() : null;

    /// <summary><c>{"results": [...]}</c> with each incident's fields as received, so that reading it back is reading an answer.</summary>
    private static void WriteAnswer(Utf8JsonWriter writer, FeedBatch batch)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("results");
        foreach (var incident in batch.Incidents)
        {
            writer.WriteStartObject();
            foreach (var field in incident.Fields)
            {
                writer.WritePropertyName(field.Name);
                writer.WriteRawValue(field.RawJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static FeedBatch ReadBatch(FeedDefinition feed, JsonElement stored)
    {
        // The raw bytes, not a rewrite: rewriting would change the escapes of the text served.
        var answer = JsonMarshal.GetRawUtf8Value(stored.GetProperty("answer")).ToArray();
        var batch = FeedBatch.Parse(feed, answer);
        return batch.MalformedCount == 0
            ? batch with { Malformed = ReadCounts(stored.GetProperty("malformed")) }
            : throw new InvalidDataException($"stored answer of '{feed.Name}' has items that do not read back");
    }

    private static void WriteDirectory(Utf8JsonWriter writer, IdentityDirectory directory)
    {
        writer.WriteStartObject();
        WriteCounts(writer, "skipped", directory.Skipped);
        writer.WriteStartObject("entries");
        foreach (var (ip, employee) in directory.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(ip, employee);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static IdentityDirectory ReadDirectory(JsonElement stored) => new(
        stored.GetProperty("entries").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt64(), StringComparer.Ordinal),
        ReadCounts(stored.GetProperty("skipped")));

    private static void WriteCounts(Utf8JsonWriter writer, string name, ImmutableSortedDictionary<string, int> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (reason, count) in counts)
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
    }

    private static ImmutableSortedDictionary<string, int> ReadCounts(JsonElement counts) =>
        counts.EnumerateObject().ToImmutableSortedDictionary(c => c.Name, c => c.Value.GetInt32(), StringComparer.Ordinal);
}
