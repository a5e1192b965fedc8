using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentService.Upstream;

/// <summary>
/// Upstream timeouts that are not configured follow the host's call interval (<see cref="UpstreamHosting.CallInterval"/>),
/// so a shorter interval alone is a working configuration: one fetch must end before the next cycle, and one attempt
/// must outlast the upstream's 6 s worst case.
/// </summary>
internal sealed class UpstreamTimeoutDefaults(IConfiguration configuration, UpstreamHosting hosting) : IPostConfigureOptions<UpstreamOptions>
{
    /// <summary>The shortest interval the timeouts are derived for: its attempt timeout (⅔ of it) is above 6 s.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan LongestTotal = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan LongestAttempt = TimeSpan.FromSeconds(10);

    /// <summary>Five sixths of the interval, at most 25 s (the defaults at the default 30 s interval).</summary>
    public static TimeSpan TotalFor(TimeSpan interval) => Min(LongestTotal, interval * 5 / 6);

    /// <summary>Four fifths of the total, at most 10 s: what is left of the total gives a quick retry a chance.</summary>
    public static TimeSpan AttemptFor(TimeSpan total) => Min(LongestAttempt, total * 4 / 5);

    /// <summary>True when <c>Upstream:TotalTimeout</c> is taken from the interval rather than configured.</summary>
    public static bool TotalIsDerived(IConfiguration configuration) => IsUnset(configuration, nameof(UpstreamOptions.TotalTimeout));

    public void PostConfigure(string? name, UpstreamOptions options)
    {
        if (hosting.CallInterval is not { } interval)
        {
            return; // no cycle to follow: the options' own defaults stand
        }

        if (TotalIsDerived(configuration))
        {
            options.TotalTimeout = TotalFor(interval);
        }

        if (IsUnset(configuration, nameof(UpstreamOptions.AttemptTimeout)))
        {
            options.AttemptTimeout = AttemptFor(options.TotalTimeout);
        }
    }

    private static bool IsUnset(IConfiguration configuration, string key) =>
        string.IsNullOrEmpty(configuration[$"{UpstreamOptions.SectionName}:{key}"]);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
