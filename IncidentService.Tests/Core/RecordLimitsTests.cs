using IncidentService.Core.Records;

namespace IncidentService.Tests.Core;

/// <summary>
/// What a replica carries forward from a counter it read (a generation, a record number) and how a refused record is
/// named on the metric and in the log: a counter outside what any cluster reaches counts as never seen, so a forged
/// one cannot lock the cluster out.
/// </summary>
public sealed class RecordLimitsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(41, 41)]
    [InlineData(RecordLimits.MaxGeneration - 1, RecordLimits.MaxGeneration - 1)]
    public void A_plausible_counter_is_carried_forward_as_seen(long seen, long floor) =>
        Assert.Equal(floor, RecordLimits.Floor(seen, RecordLimits.MaxGeneration));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    [InlineData(RecordLimits.MaxGeneration)]
    [InlineData(RecordLimits.MaxGeneration + 1)]
    [InlineData(long.MaxValue)]
    public void A_counter_never_seen_or_beyond_the_limit_starts_over_at_zero(long seen) =>
        Assert.Equal(0, RecordLimits.Floor(seen, RecordLimits.MaxGeneration));

    [Fact]
    public void The_limit_is_the_one_given_not_a_fixed_one()
    {
        Assert.Equal(9, RecordLimits.Floor(9, 10));
        Assert.Equal(0, RecordLimits.Floor(10, 10));
        Assert.Equal(RecordLimits.MaxGeneration, RecordLimits.Floor(RecordLimits.MaxGeneration, long.MaxValue));
    }

    [Theory]
    [InlineData(RecordRejection.Foreign, "foreign")]
    [InlineData(RecordRejection.SealKind, "seal-kind")]
    [InlineData(RecordRejection.Seal, "seal")]
    [InlineData(RecordRejection.Implausible, "implausible")]
    [InlineData(RecordRejection.NotAFile, "not-a-file")]
    [InlineData(RecordRejection.Unreadable, "unreadable")]
    public void Each_refusal_has_its_published_label(RecordRejection rejection, string label) =>
        Assert.Equal(label, RecordRejections.Label(rejection));

    [Fact]
    public void No_two_refusals_share_a_label() =>
        Assert.Equal(Enum.GetValues<RecordRejection>().Length, Enum.GetValues<RecordRejection>().Select(RecordRejections.Label).Distinct().Count());

    [Fact]
    public void A_signed_and_an_unsigned_record_each_start_with_a_header_of_this_format()
    {
        var signed = RefreshRecordCodec.Write(RecordSealTests.Record(), RecordSeal.WithKey(new byte[32]));
        var unsigned = RefreshRecordCodec.Write(RecordSealTests.Record(), RecordSeal.Checksum);

        Assert.True(RefreshRecordCodec.HasHeader(signed.AsSpan(0, RefreshRecordCodec.HeaderLength)));
        Assert.True(RefreshRecordCodec.HasHeader(unsigned));
        Assert.False(RefreshRecordCodec.HasHeader("{\"not\": \"a record\"}"u8));
    }
}
