using IncidentService.Api.Hosting;

namespace IncidentService.Tests.Api;

public sealed class ConnectionLimitsTests
{
    [Theory]
    [InlineData(4096, 3072)] // headroom of 1,024, a quarter
    [InlineData(20000, 15000)]
    [InlineData(65536, 49152)]
    [InlineData(1024, 768)] // a quarter and 256 meet
    [InlineData(512, 256)] // headroom of 256: a quarter would be too little
    [InlineData(300, 44)]
    [InlineData(256, 1)] // never zero: zero would refuse every connection
    [InlineData(1, 1)]
    public void The_default_connection_limit_leaves_a_quarter_of_the_open_files_and_at_least_256_free(long openFiles, long expected) =>
        Assert.Equal(expected, ConnectionLimits.FromOpenFileLimit(openFiles));

    [Fact]
    public void The_open_file_limit_is_the_soft_limit_from_proc_self_limits()
    {
        string[] lines =
        [
            "Limit                     Soft Limit           Hard Limit           Units     ",
            "Max processes             127431               127431               processes ",
            "Max open files            4096                 20000                files     ",
            "Max locked memory         8388608              8388608              bytes     ",
        ];

        Assert.Equal(4096, ConnectionLimits.ParseOpenFileLimit(lines));
    }

    [Theory]
    [InlineData("Max open files            unlimited            unlimited            files     ")]
    [InlineData("Max processes             127431               127431               processes ")]
    public void An_unlimited_or_missing_open_file_limit_gives_no_number(string line) =>
        Assert.Null(ConnectionLimits.ParseOpenFileLimit([line]));

    [Fact]
    public void On_linux_this_process_reads_its_own_open_file_limit()
    {
        var limit = ConnectionLimits.OpenFileLimit();

        if (OperatingSystem.IsLinux())
        {
            Assert.InRange(limit ?? 0, 1, long.MaxValue);
        }
        else
        {
            Assert.Null(limit); // no /proc: Kestrel stays unlimited unless configured
        }
    }
}
