using System.Net;
using IncidentService.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentService.Tests.Api;

public sealed class DerivedTimeoutTests
{
    [Fact]
    public async Task A_ten_second_interval_alone_starts_and_serves()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Refresh:Interval", "00:00:10"));
        using var client = await factory.CreateReadyClientAsync();

        using var response = await client.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = factory.Services.GetRequiredService<IOptions<UpstreamOptions>>().Value;
        Assert.True(upstream.TotalTimeout < TimeSpan.FromSeconds(10), $"total {upstream.TotalTimeout}");
        Assert.True(upstream.AttemptTimeout > TimeSpan.FromSeconds(6), $"attempt {upstream.AttemptTimeout} must outlast the upstream's worst case");
        Assert.True(upstream.AttemptTimeout < upstream.TotalTimeout);
    }

    [Theory]
    [InlineData("00:00:30", 25, 10)]
    [InlineData("00:05:00", 25, 10)]
    [InlineData("00:00:12", 10, 8)]
    public async Task Unset_timeouts_follow_the_interval_and_keep_the_defaults_at_thirty_seconds(string interval, double total, double attempt)
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Refresh:Interval", interval));

        var upstream = factory.Services.GetRequiredService<IOptions<UpstreamOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(total), upstream.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(attempt), upstream.AttemptTimeout);
    }

    [Fact]
    public async Task Configured_timeouts_win_and_an_unset_attempt_timeout_follows_the_configured_total()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Refresh:Interval", "00:00:03"), ("Upstream:TotalTimeout", "00:00:02"));

        var upstream = factory.Services.GetRequiredService<IOptions<UpstreamOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(2), upstream.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1.6), upstream.AttemptTimeout);
    }

    [Fact]
    public async Task A_configured_total_at_or_above_the_interval_is_still_refused()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Refresh:Interval", "00:00:20"), ("Upstream:TotalTimeout", "00:00:20"));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Refresh:Interval: (00:00:20) must be longer than Upstream:TotalTimeout (00:00:20)", failure.ToString(), StringComparison.Ordinal);
    }
}
