using IncidentService.Api.Web.Serving;

namespace IncidentService.Tests.Serving;

public sealed class MemoryReleaseTests
{
    private const long Mb = 1024 * 1024;

    [Theory]
    [InlineData(1_000 * Mb, 1 * Mb, true)] // 1 M incidents, then today's volume
    [InlineData(130 * Mb, 64 * Mb, true)] // just under half, and 66 MB less
    [InlineData(128 * Mb, 64 * Mb, false)] // exactly half is not less than half
    [InlineData(100 * Mb, 37 * Mb, true)] // 63 MB less, to a third: the garbage it leaves can be gigabytes
    [InlineData(60 * Mb, 1 * Mb, true)] // a large feed gone, well under any fixed size
    [InlineData(3 * Mb, 1 * Mb, true)]
    [InlineData(64 * Mb, 0, true)]
    [InlineData(1 * Mb, 2 * Mb, false)] // growing
    [InlineData(500 * Mb, 400 * Mb, false)]
    public void A_drop_to_less_than_half_is_worth_a_collection_whatever_its_size(long before, long now, bool expected) =>
        Assert.Equal(expected, MemoryRelease.IsWorthIt(before, now));
}
