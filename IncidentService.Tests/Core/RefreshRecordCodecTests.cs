using System.Collections.Immutable;
using System.Text;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Records;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

public sealed class RefreshRecordCodecTests
{
    internal static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly RefreshPolicy Policy = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), 3, TimeSpan.FromMinutes(1), 0.5, TimeSpan.FromHours(1));
    internal static readonly FeedDefinition[] Feeds = [new("denial", "reported_by"), new("probing", "ip")];

    [Fact]
    public void A_ledger_reads_back_with_every_target_state_last_good_answer_and_identity_clock()
    {
        var ledger = LedgerWithHistory();

        var restored = RoundTrip(new RefreshRecord(7, "replica-a", Start, ledger, Snapshot: null));

        Assert.Equal(7, restored.Generation);
        Assert.Equal("replica-a", restored.Holder);
        Assert.Null(restored.Snapshot);
        Assert.Equal(ledger.StartedAt, restored.Ledger.StartedAt);
        Assert.Equal(ledger.Feeds.ToArray(), restored.Ledger.Feeds.ToArray());
        // Records: every field, error kind and retry time included; the counts compared by content.
        Assert.Equal(ledger.Targets.Values.Select(WithoutCounts), restored.Ledger.Targets.Values.Select(WithoutCounts));
        Assert.Equal(ledger.Targets.Values.Select(t => t.Malformed.ToArray()), restored.Ledger.Targets.Values.Select(t => t.Malformed.ToArray()));
        Assert.Contains(restored.Ledger.Targets.Values, t => !t.Malformed.IsEmpty);
        Assert.Equal(ledger.IdentityHistory!.TrustedAt, restored.Ledger.IdentityHistory!.TrustedAt);
        Assert.Equal(ledger.IdentityHistory.Trusted.Entries.OrderBy(e => e.Key), restored.Ledger.IdentityHistory.Trusted.Entries.OrderBy(e => e.Key));
        Assert.Equal(ledger.Identities!.Entries.OrderBy(e => e.Key), restored.Ledger.Identities!.Entries.OrderBy(e => e.Key));
        Assert.Equal(ledger.Identities.Skipped, restored.Ledger.Identities.Skipped);
        var denial = restored.Ledger.LastGoodFeeds["denial"];
        Assert.Equal(ledger.LastGoodFeeds["denial"].Malformed, denial.Malformed);
        Assert.Equal(
            ledger.LastGoodFeeds["denial"].Incidents.Select(Describe),
            denial.Incidents.Select(Describe));
    }

    [Fact]
    public void A_restored_ledger_decides_and_builds_the_same_bytes_as_the_original()
    {
        var ledger = LedgerWithHistory();
        var restored = RoundTrip(new RefreshRecord(1, "a", Start, ledger, null)).Ledger;
        var later = Start + TimeSpan.FromMinutes(2);

        var original = SnapshotBuilder.Build(Assert.IsType<ServeSnapshot>(ledger.Decide(later, Policy)).Sources, later);
        var again = SnapshotBuilder.Build(Assert.IsType<ServeSnapshot>(restored.Decide(later, Policy)).Sources, later);

        Assert.Equal(original.Json, again.Json);
        Assert.Equal(original.UnresolvedJson, again.UnresolvedJson);
        Assert.Equal(original.ETag, again.ETag);
        Assert.Equal(ledger.Readiness(later, Policy), restored.Readiness(later, Policy));
        Assert.Equal(ledger.DueForRetry(later), restored.DueForRetry(later));
    }

    [Fact]
    public void A_restored_ledger_keeps_the_identity_retention_clock_running_from_the_trusted_answer()
    {
        var restored = RoundTrip(new RefreshRecord(1, "a", Start, LedgerWithHistory(), null)).Ledger;

        // Still doubted inside the retention that began with the first, trusted answer...
        var inside = restored.Apply([new IdentitiesFetched(new IdentityDirectory(new Dictionary<string, long>()), Start + TimeSpan.FromMinutes(59), TimeSpan.Zero)], Policy);
        // ...and believed once that retention is over, counted from the same answer, not from the restore.
        var after = restored.Apply([new IdentitiesFetched(new IdentityDirectory(new Dictionary<string, long>()), Start + TimeSpan.FromMinutes(61), TimeSpan.Zero)], Policy);

        Assert.True(inside.Identities!.Doubted);
        Assert.False(after.Identities!.Doubted);
    }

    [Fact]
    public void A_snapshot_reads_back_as_the_same_bytes_tag_slices_and_times()
    {
        var ledger = LedgerWithHistory();
        var snapshot = SnapshotBuilder.Build(Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromMinutes(2), Policy)).Sources, Start + TimeSpan.FromMinutes(2))
            with { ContentChangedAt = Start + TimeSpan.FromMinutes(1) };

        var restored = RoundTrip(new RefreshRecord(3, "a", Start, ledger, snapshot)).Snapshot!;

        Assert.Equal(snapshot.Json, restored.Json);
        Assert.Equal(snapshot.UnresolvedJson, restored.UnresolvedJson);
        Assert.Equal(snapshot.ETag, restored.ETag);
        Assert.Equal(snapshot.Employees.OrderBy(e => e.Key), restored.Employees.OrderBy(e => e.Key));
        Assert.Equal(snapshot.Counts, restored.Counts);
        Assert.Equal((snapshot.CreatedAt, snapshot.ContentChangedAt, snapshot.DataAsOf), (restored.CreatedAt, restored.ContentChangedAt, restored.DataAsOf));
        Assert.Equal(["probing"], restored.MissingFeeds.ToArray());
        Assert.Equal(snapshot.ForEmployee(7)!.Value.ToArray(), restored.ForEmployee(7)!.Value.ToArray());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("foreign")]
    [InlineData("empty")]
    public void A_damaged_or_foreign_blob_is_rejected_with_a_reason(string damage)
    {
        var blob = RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, LedgerWithHistory(), null), RecordSeal.Checksum);
        byte[] damaged = damage switch
        {
            "truncated" => blob[..(blob.Length / 2)],
            "flipped" => Flip(blob, blob.Length / 2),
            "foreign" => Encoding.UTF8.GetBytes("{\"results\": []}"),
            _ => [],
        };

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(damaged, Feeds, RecordSeal.Checksum));

        Assert.Equal(damage is "foreign" or "empty" ? "not a refresh record of this format" : "checksum mismatch (truncated or corrupt)", rejected.Reason);
    }

    [Fact]
    public void A_record_written_for_other_feeds_is_rejected_rather_than_half_used()
    {
        var blob = RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, LedgerWithHistory(), null), RecordSeal.Checksum);

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(blob, [new("denial", "reported_by")], RecordSeal.Checksum));

        Assert.Equal("unreadable: written for the feeds denial, probing, not those configured here", rejected.Reason);
    }

    [Fact]
    public void A_body_that_cannot_be_indexed_is_rejected_even_when_it_hashes_to_its_tag()
    {
        var ledger = LedgerWithHistory();
        var snapshot = SnapshotBuilder.Build(Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromMinutes(2), Policy)).Sources, Start);
        var json = """{"7":{"low":{"count":1,"incidents":[{"type":"denial"}]}}}"""u8.ToArray();
        var untimed = snapshot with { Json = json, ETag = SnapshotBuilder.Tag(json, snapshot.UnresolvedJson, snapshot.MissingFeeds) };

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, ledger, untimed), RecordSeal.Checksum), Feeds, RecordSeal.Checksum));

        Assert.Equal("unreadable: the incidents body cannot be indexed", rejected.Reason);
    }

    [Fact]
    public void A_restored_snapshot_answers_queries_from_the_index_of_its_bytes()
    {
        var ledger = LedgerWithHistory();
        var snapshot = SnapshotBuilder.Build(Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromMinutes(2), Policy)).Sources, Start);

        var restored = Assert.IsType<RecordRestored>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, ledger, snapshot), RecordSeal.Checksum), Feeds, RecordSeal.Checksum)).Record.Snapshot!;

        Assert.NotEmpty(restored.Index.Incidents);
        Assert.Equal(snapshot.Index.Incidents, restored.Index.Incidents);
    }

    [Fact]
    public void Bodies_that_do_not_hash_to_their_tag_are_rejected_even_with_a_valid_checksum()
    {
        var ledger = LedgerWithHistory();
        var snapshot = SnapshotBuilder.Build(Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromMinutes(2), Policy)).Sources, Start);
        var forged = snapshot with { ETag = "\"0123456789abcdef0123456789abcdef\"" };

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, ledger, forged), RecordSeal.Checksum), Feeds, RecordSeal.Checksum));

        Assert.Equal("unreadable: the served bodies do not match their tag", rejected.Reason);
    }

    [Fact]
    public void The_same_record_always_writes_the_same_bytes_whatever_order_its_maps_were_filled_in()
    {
        var ledger = LedgerWithHistory();
        var reordered = RefreshLedger.Start(Feeds.Select(f => f.Name), Start).Apply(
            [new IdentitiesFetched(new IdentityDirectory(ledger.Identities!.Entries.Reverse().ToDictionary(), ledger.Identities.Skipped), Start, TimeSpan.Zero)], Policy).Ledger;
        var original = RefreshLedger.Start(Feeds.Select(f => f.Name), Start).Apply(
            [new IdentitiesFetched(new IdentityDirectory(ledger.Identities.Entries.ToDictionary(), ledger.Identities.Skipped), Start, TimeSpan.Zero)], Policy).Ledger;

        Assert.Equal(
            RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, original, null), RecordSeal.Checksum),
            RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, reordered, null), RecordSeal.Checksum));
    }

    [Theory]
    [InlineData("no sections", "unreadable: The given key 'meta' was not present in the dictionary.")]
    [InlineData("header past the end", "unreadable: a section header runs past the end")]
    [InlineData("length past the end", "unreadable: section 'meta' runs past the end")]
    [InlineData("negative length", "unreadable: section 'meta' runs past the end")]
    [InlineData("incidents not an object", "unreadable: the incidents body is not a JSON object")]
    [InlineData("stored answer with a bad item", "unreadable: stored answer of 'denial' has items that do not read back")]
    public void A_blob_with_a_good_checksum_but_a_bad_inside_is_rejected_rather_than_half_used(string damage, string reason)
    {
        var good = Sections(RefreshRecordCodec.Write(new RefreshRecord(1, "a", Start, LedgerWithHistory(), SnapshotOf(LedgerWithHistory())), RecordSeal.Checksum));
        byte[] inside = damage switch
        {
            "no sections" => [],
            "header past the end" => [5, (byte)'m', (byte)'e'],
            "length past the end" => [4, .. "meta"u8, 0, 0, 0, 100, 1, 2],
            "negative length" => [4, .. "meta"u8, 0xFF, 0xFF, 0xFF, 0xFF],
            "incidents not an object" => Join(good with { Incidents = "[]"u8.ToArray() }),
            _ => Join(good with { Ledger = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(good.Ledger).Replace("\"priority\":\"low\",\"timestamp\":5", "\"timestamp\":5", StringComparison.Ordinal)) }),
        };

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(Seal(inside), Feeds, RecordSeal.Checksum));

        Assert.Equal(reason, rejected.Reason);
    }

    internal static IncidentSnapshot SnapshotOf(RefreshLedger ledger) =>
        SnapshotBuilder.Build(Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromMinutes(2), Policy)).Sources, Start);

    private static readonly byte[] Magic = "incident-service refresh-record 2 sha256\n"u8.ToArray();

    /// <summary>The four sections of a written record, in order (meta, ledger, incidents, unresolved).</summary>
    private static Parts Sections(byte[] blob)
    {
        var sections = new List<byte[]>();
        var span = blob.AsSpan(Magic.Length, blob.Length - Magic.Length - 32);
        while (!span.IsEmpty)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(span.Slice(1 + span[0], 4));
            sections.Add(span.Slice(1 + span[0] + 4, length).ToArray());
            span = span[(1 + span[0] + 4 + length)..];
        }

        return new Parts(sections[0], sections[1], sections[2], sections[3]);
    }

    private static byte[] Join(Parts parts) =>
    [
        .. Section("meta", parts.Meta), .. Section("ledger", parts.Ledger), .. Section("incidents", parts.Incidents), .. Section("unresolved", parts.Unresolved),
    ];

    private static byte[] Section(string name, byte[] content)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, content.Length);
        return [(byte)name.Length, .. Encoding.ASCII.GetBytes(name), .. length, .. content];
    }

    /// <summary>The format line, the inside, and a checksum that matches: only the inside is wrong.</summary>
    private static byte[] Seal(byte[] inside)
    {
        byte[] body = [.. Magic, .. inside];
        return [.. body, .. System.Security.Cryptography.SHA256.HashData(body)];
    }

    private sealed record Parts(byte[] Meta, byte[] Ledger, byte[] Incidents, byte[] Unresolved);

    private static RefreshRecord RoundTrip(RefreshRecord record) =>
        Assert.IsType<RecordRestored>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(record, RecordSeal.Checksum), Feeds, RecordSeal.Checksum)).Record;

    private static TargetState WithoutCounts(TargetState state) => state with { Malformed = ImmutableSortedDictionary<string, int>.Empty };

    private static byte[] Flip(byte[] blob, int at)
    {
        var copy = blob.ToArray();
        copy[at] ^= 0x20;
        return copy;
    }

    private static string Describe(Incident incident) =>
        $"{incident.Feed} {incident.Priority} {incident.Timestamp} {incident.Identity} {string.Join(",", incident.Fields.Select(f => f.Name + "=" + f.RawJson))}";

    /// <summary>
    /// Identities trusted at start, then an answer with most entries gone (doubted: retention running); denial answered
    /// with a skipped item and odd field text; probing never answered and is failing with a retry scheduled.
    /// </summary>
    internal static RefreshLedger LedgerWithHistory()
    {
        var trusted = IdentityDirectory.Parse("""{"10.0.0.1": 7, "10.0.0.2": 8, "10.0.0.3": 9, "bad": 1}"""u8.ToArray());
        var shrunk = IdentityDirectory.Parse("""{"10.0.0.1": 7}"""u8.ToArray());
        var denial = FeedBatch.Parse(Feeds[0], """
            {"results": [
              {"priority": "High", "timestamp": 1629261273.1500001, "reported_by": "10.0.0.2", "note": "caf\u00e9 \"q\"", "nested": {"a": [1, 2.50]}},
              {"priority": "low", "timestamp": 5, "reported_by": 7},
              {"priority": "low", "timestamp": 6, "reported_by": "10.9.9.9"},
              {"timestamp": 1}
            ]}
            """u8.ToArray());
        var ledger = RefreshLedger.Start(Feeds.Select(f => f.Name), Start);
        ledger = ledger.Apply([new IdentitiesFetched(trusted, Start, TimeSpan.FromSeconds(1))], Policy).Ledger;
        return ledger.Apply(
            [
                new IdentitiesFetched(shrunk, Start + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)),
                new FeedFetched(denial, Start + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)),
                new FetchFailed(Target.Feed("probing"), FetchFailureKind.Timeout, "timed out after 10 s", Start + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)),
            ],
            Policy).Ledger;
    }
}
