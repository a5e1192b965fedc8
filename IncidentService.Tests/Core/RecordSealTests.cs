using System.Security.Cryptography;
using System.Text;
using IncidentService.Core;
using IncidentService.Core.Records;

namespace IncidentService.Tests.Core;

/// <summary>A record is served only when it verifies under this replica's key; every refusal says why, as a kind.</summary>
public sealed class RecordSealTests
{
    private static readonly RecordSeal Key = RecordSeal.WithKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly RecordSeal OtherKey = RecordSeal.WithKey(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());
    private static readonly FeedDefinition[] Feeds = RefreshRecordCodecTests.Feeds;

    [Fact]
    public void A_signed_record_reads_back_under_its_key()
    {
        var record = Record(generation: 4);

        var restored = Assert.IsType<RecordRestored>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(record, Key), Feeds, Key)).Record;

        Assert.Equal(4, restored.Generation);
        Assert.Equal(record.Snapshot!.Json, restored.Snapshot!.Json);
    }

    [Fact]
    public void A_record_signed_with_another_key_is_refused_as_a_bad_seal()
    {
        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(Record(), OtherKey), Feeds, Key));

        Assert.Equal(RecordRejection.Seal, rejected.Kind);
        Assert.Equal("signature does not verify (another key, altered or truncated)", rejected.Reason);
    }

    [Fact]
    public void A_forged_record_that_drops_an_employee_does_not_verify_even_with_its_checksum_and_tag_recomputed()
    {
        var signed = RefreshRecordCodec.Write(Record(), Key);
        // What anyone can do without the key: change the inside and seal it as an unsigned record would be.
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed[..^RecordSeal.Length]).Replace("\"7\":", "\"70\":", StringComparison.Ordinal));
        byte[] resealed = [.. forged, .. SHA256.HashData(forged)];

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(resealed, Feeds, Key));

        Assert.Equal(RecordRejection.Seal, rejected.Kind);
    }

    [Fact]
    public void An_unsigned_record_is_refused_where_a_key_is_configured_and_a_signed_one_where_none_is()
    {
        var unsigned = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(Record(), RecordSeal.Checksum), Feeds, Key));
        var signed = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(Record(), Key), Feeds, RecordSeal.Checksum));

        Assert.Equal(RecordRejection.SealKind, unsigned.Kind);
        Assert.Equal("unsigned, but Snapshot:SigningKey requires a signature", unsigned.Reason);
        Assert.Equal(RecordRejection.SealKind, signed.Kind);
        Assert.Equal("signed, but no Snapshot:SigningKey is configured here", signed.Reason);
    }

    [Theory]
    [InlineData(RecordLimits.MaxGeneration + 1)]
    [InlineData(long.MaxValue)]
    [InlineData(-1)]
    public void A_generation_beyond_any_clusters_is_refused_even_under_the_right_key(long generation)
    {
        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(Record(generation), Key), Feeds, Key));

        Assert.Equal(RecordRejection.Implausible, rejected.Kind);
        Assert.Equal($"generation {generation} is beyond any cluster's", rejected.Reason);
    }

    [Fact]
    public void The_largest_plausible_generation_is_still_read()
    {
        Assert.IsType<RecordRestored>(RefreshRecordCodec.Read(RefreshRecordCodec.Write(Record(RecordLimits.MaxGeneration), Key), Feeds, Key));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("c2hvcnQ=", false)] // "short"
    [InlineData("not base64 at all!", false)]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true)] // 32 bytes
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", false)] // 31 bytes
    public void A_key_is_base64_of_at_least_32_bytes(string text, bool accepted)
    {
        Assert.Equal(accepted, RecordSeal.FromBase64(text) is { IsSigned: true });
    }

    [Fact]
    public void A_short_key_is_refused_outright()
    {
        Assert.Throws<ArgumentException>(() => RecordSeal.WithKey(new byte[RecordSeal.MinimumKeyBytes - 1]));
    }

    internal static RefreshRecord Record(long generation = 1)
    {
        var ledger = RefreshRecordCodecTests.LedgerWithHistory();
        return new RefreshRecord(generation, "replica-a", RefreshRecordCodecTests.Start, ledger, RefreshRecordCodecTests.SnapshotOf(ledger));
    }
}
