using IncidentService.Api.Web.Live;

namespace IncidentService.Tests.Live;

public sealed class LiveOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new LiveOptionsValidator().Validate(null, new LiveOptions()).Succeeded);
    }

    [Fact]
    public void Each_impossible_value_is_named_by_its_key()
    {
        var options = new LiveOptions
        {
            MaxStreams = new LiveStreamLimits { PerClient = 0, Total = -1 },
            HeartbeatInterval = TimeSpan.Zero,
            MaxChangedEmployees = 0,
        };

        var failures = new LiveOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Live:MaxStreams:PerClient:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Live:MaxStreams:Total:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Live:HeartbeatInterval:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Live:MaxChangedEmployees:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_total_below_the_per_client_limit_is_refused()
    {
        var options = new LiveOptions { MaxStreams = new LiveStreamLimits { PerClient = 10, Total = 5 } };

        Assert.False(new LiveOptionsValidator().Validate(null, options).Succeeded);
    }
}
