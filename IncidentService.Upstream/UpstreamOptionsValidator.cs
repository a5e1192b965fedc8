using Microsoft.Extensions.Options;

namespace IncidentService.Upstream;

/// <summary>
/// Checks the section as a whole: the connection, each value's range (<see cref="UpstreamOptionsRanges"/>), and the
/// rules that span keys. Every message starts with the key at fault.
/// </summary>
internal sealed class UpstreamOptionsValidator(UpstreamHosting hosting) : IValidateOptions<UpstreamOptions>
{
    private const string Section = UpstreamOptions.SectionName;

    private readonly UpstreamOptionsRanges _ranges = new();

    public ValidateOptionsResult Validate(string? name, UpstreamOptions options)
    {
        var failures = Connection(options).ToList();
        if (_ranges.Validate(name, options) is { Failed: true, Failures: { } ranges })
        {
            // A generated message starts with the property's name; the key puts the section in front of it.
            failures.AddRange(ranges.Select(failure => $"{Section}:{failure}"));
        }

        failures.AddRange(Timing(options));
        foreach (var (feed, field) in options.IdentityFields)
        {
            if (string.IsNullOrWhiteSpace(field))
            {
                failures.Add($"{Section}:IdentityFields:{feed}: must name a field");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<string> Connection(UpstreamOptions options)
    {
        if (options.BaseUrl is not { } url)
        {
            if (!hosting.FallbackAllowed)
            {
                yield return $"{Section}:BaseUrl: is required in the '{hosting.EnvironmentName}' environment (only Development falls back to the embedded simulator)";
            }

            yield break;
        }

        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{Section}:BaseUrl: must be an absolute http or https URL";
        }
        else if (url.UserInfo.Length > 0)
        {
            // Never echo it: the user info is a password. Status and logs only ever show scheme, host and port.
            yield return $"{Section}:BaseUrl: must not carry credentials (user:password@); set {Section}:Username and {Section}:Password instead";
        }

        if (string.IsNullOrEmpty(options.Username))
        {
            yield return $"{Section}:Username: is required when {Section}:BaseUrl is set";
        }

        if (string.IsNullOrEmpty(options.Password))
        {
            yield return $"{Section}:Password: is required when {Section}:BaseUrl is set";
        }
    }

    private static IEnumerable<string> Timing(UpstreamOptions options)
    {
        if (options.TotalTimeout <= options.AttemptTimeout)
        {
            yield return $"{Section}:TotalTimeout: ({options.TotalTimeout}) must be longer than {Section}:AttemptTimeout ({options.AttemptTimeout})";
        }

        if (options.BreakerSamplingDuration < 2 * options.AttemptTimeout)
        {
            yield return $"{Section}:BreakerSamplingDuration: ({options.BreakerSamplingDuration}) must be at least twice {Section}:AttemptTimeout";
        }
    }
}
