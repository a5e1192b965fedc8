using IncidentService.Api.Poller.Refresh;
using IncidentService.Upstream;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>Checks the section, and that one upstream call cannot outlast the interval; each message starts with its key.</summary>
internal sealed class RefreshOptionsValidator(IOptions<UpstreamOptions> upstream, IConfiguration configuration) : IValidateOptions<RefreshOptions>
{
    public ValidateOptionsResult Validate(string? name, RefreshOptions options)
    {
        var failures = new List<string>();
        const string Section = RefreshOptions.SectionName;
        if (options.Interval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:Interval: must be a positive duration, such as 00:00:30");
        }
        else if (options.Interval < UpstreamTimeoutDefaults.MinimumInterval && UpstreamTimeoutDefaults.TotalIsDerived(configuration))
        {
            failures.Add($"{Section}:Interval: ({options.Interval}) is shorter than {UpstreamTimeoutDefaults.MinimumInterval}, the least the upstream timeouts are derived for (an attempt must outlast the upstream's 6 s worst case); for a shorter interval set Upstream:AttemptTimeout and Upstream:TotalTimeout");
        }
        else if (upstream.Value.TotalTimeout >= options.Interval)
        {
            failures.Add($"{Section}:Interval: ({options.Interval}) must be longer than Upstream:TotalTimeout ({upstream.Value.TotalTimeout}), so a slow call cannot run into the next cycle");
        }

        if (options.MaxConcurrency is < 1 or > 32)
        {
            failures.Add($"{Section}:MaxConcurrency: must be between 1 and 32 (got {options.MaxConcurrency})");
        }

        if (options.FirstSnapshotWait < TimeSpan.Zero || options.FirstSnapshotWait > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{Section}:FirstSnapshotWait: must be between 00:00:00 and 00:00:30");
        }

        if (options.MaxSnapshotAgeIntervals < 1)
        {
            failures.Add($"{Section}:MaxSnapshotAgeIntervals: must be at least 1");
        }

        if (options.RetryBackoff < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{Section}:RetryBackoff: must be at least 00:00:00.1");
        }

        if (options.ServeIncompleteAfter < TimeSpan.Zero)
        {
            failures.Add($"{Section}:ServeIncompleteAfter: must not be negative");
        }

        if (options.IdentityShrinkThreshold is <= 0 or >= 1 || double.IsNaN(options.IdentityShrinkThreshold))
        {
            failures.Add($"{Section}:IdentityShrinkThreshold: must be between 0 and 1 exclusive (got {options.IdentityShrinkThreshold})");
        }

        if (options.IdentityChurnThreshold is <= 0 or > 1 || double.IsNaN(options.IdentityChurnThreshold))
        {
            failures.Add($"{Section}:IdentityChurnThreshold: must be above 0 and at most 1 (1: never doubt a moved mapping) (got {options.IdentityChurnThreshold})");
        }

        if (options.IdentityRetention < TimeSpan.Zero)
        {
            failures.Add($"{Section}:IdentityRetention: must not be negative");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
