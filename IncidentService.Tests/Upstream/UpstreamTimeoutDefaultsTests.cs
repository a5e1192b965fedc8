using IncidentService.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentService.Tests.Upstream;

/// <summary>Timeouts not configured follow the host's call interval; configured ones win; without an interval the defaults stand.</summary>
public sealed class UpstreamTimeoutDefaultsTests
{
    [Theory]
    [InlineData("00:00:30", 25, 10)]
    [InlineData("00:05:00", 25, 10)]
    [InlineData("00:00:12", 10, 8)]
    [InlineData("00:00:10", 8.333, 6.667)]
    public void Unset_timeouts_follow_the_interval_and_keep_the_defaults_at_thirty_seconds(string interval, double total, double attempt)
    {
        var options = Read(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(total, options.TotalTimeout.TotalSeconds, precision: 3);
        Assert.Equal(attempt, options.AttemptTimeout.TotalSeconds, precision: 3);
    }

    [Fact]
    public void A_configured_total_wins_and_the_unset_attempt_timeout_follows_it()
    {
        var options = Read(TimeSpan.FromSeconds(3), ("TotalTimeout", "00:00:02"));

        Assert.Equal(TimeSpan.FromSeconds(2), options.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1.6), options.AttemptTimeout);
    }

    [Fact]
    public void A_configured_attempt_timeout_wins_and_the_unset_total_follows_the_interval()
    {
        var options = Read(TimeSpan.FromSeconds(12), ("AttemptTimeout", "00:00:03"));

        Assert.Equal(TimeSpan.FromSeconds(10), options.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.AttemptTimeout);
    }

    [Fact]
    public void Without_an_interval_the_defaults_stand_even_beside_a_configured_total()
    {
        var options = Read(interval: null, ("TotalTimeout", "00:00:40"));

        Assert.Equal(TimeSpan.FromSeconds(40), options.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
    }

    [Fact]
    public void The_derived_timeouts_are_the_ones_validated()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Read(TimeSpan.FromSeconds(12), ("AttemptTimeout", "00:00:10")));

        Assert.Equal(["Upstream:TotalTimeout: (00:00:10) must be longer than Upstream:AttemptTimeout (00:00:10)"], refused.Failures);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("00:00:20", false)]
    public void The_total_is_derived_only_when_not_configured(string? total, bool derived)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Upstream:TotalTimeout", total)]).Build();

        Assert.Equal(derived, UpstreamTimeoutDefaults.TotalIsDerived(configuration));
    }

    [Fact]
    public void The_shortest_interval_derived_for_gives_an_attempt_above_the_upstreams_six_second_worst_case()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), UpstreamTimeoutDefaults.MinimumInterval);
        Assert.True(UpstreamTimeoutDefaults.AttemptFor(UpstreamTimeoutDefaults.TotalFor(UpstreamTimeoutDefaults.MinimumInterval)) > TimeSpan.FromSeconds(6));
    }

    [Fact]
    public void Outside_development_an_unset_base_url_is_refused_when_the_options_are_first_read()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Read(new UpstreamHosting("Staging", FallbackAllowed: false, CallInterval: null)));

        Assert.Equal(["Upstream:BaseUrl: is required in the 'Staging' environment (only Development falls back to the embedded simulator)"], refused.Failures);
    }

    private static UpstreamOptions Read(TimeSpan? interval, params (string Key, string Value)[] settings) =>
        Read(new UpstreamHosting("Development", FallbackAllowed: true, interval), settings);

    private static UpstreamOptions Read(UpstreamHosting hosting, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"{UpstreamOptions.SectionName}:{s.Key}", (string?)s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(hosting); // before the client, as a host registers it
        services.AddUpstreamClient(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<UpstreamOptions>>().Value;
    }
}
