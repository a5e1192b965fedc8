using Microsoft.Extensions.Options;

namespace IncidentService.Upstream;

/// <summary>Checks the section as a whole; every message names the key at fault.</summary>
internal sealed class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, UpstreamOptions options)
    {
        var failures = new List<string>();
        const string Section = UpstreamOptions.SectionName;
        if (options.BaseUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{Section}:BaseUrl: must be an absolute http or https URL");
            }
            else if (url.UserInfo.Length > 0)
            {
                // Never echo it: the user info is a password. Status and logs only ever show scheme, host and port.
                failures.Add($"{Section}:BaseUrl: must not carry credentials (user:password@); set {Section}:Username and {Section}:Password instead");
            }

            if (string.IsNullOrEmpty(options.Username))
            {
                failures.Add($"{Section}:Username: is required when {Section}:BaseUrl is set");
            }

            if (string.IsNullOrEmpty(options.Password))
            {
                failures.Add($"{Section}:Password: is required when {Section}:BaseUrl is set");
            }
        }

        Positive(options.AttemptTimeout, "AttemptTimeout");
        Positive(options.RetryDelay, "RetryDelay");
        Positive(options.MaxRetryAfter, "MaxRetryAfter");
        Positive(options.BreakDuration, "BreakDuration");
        if (options.TotalTimeout <= options.AttemptTimeout)
        {
            failures.Add($"{Section}:TotalTimeout: ({options.TotalTimeout}) must be longer than {Section}:AttemptTimeout ({options.AttemptTimeout})");
        }

        if (options.BreakerSamplingDuration < 2 * options.AttemptTimeout)
        {
            failures.Add($"{Section}:BreakerSamplingDuration: ({options.BreakerSamplingDuration}) must be at least twice {Section}:AttemptTimeout");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{Section}:MaxRetries: must be between 0 and 10");
        }

        if (options.AbandonedAttemptHold < TimeSpan.Zero || options.AbandonedAttemptHold > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}:AbandonedAttemptHold: must be between 00:00:00 and 01:00:00");
        }

        if (options.MaxResponseBytes <= 0)
        {
            failures.Add($"{Section}:MaxResponseBytes: must be positive");
        }

        foreach (var (feed, field) in options.IdentityFields)
        {
            if (string.IsNullOrWhiteSpace(field))
            {
                failures.Add($"{Section}:IdentityFields:{feed}: must name a field");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{Section}:{key}: must be a positive duration, such as 00:00:05");
            }
        }
    }
}
