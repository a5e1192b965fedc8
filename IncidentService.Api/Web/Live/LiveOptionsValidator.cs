using Microsoft.Extensions.Options;

namespace IncidentService.Api.Web.Live;

/// <summary>Stops a start whose stream limits cannot work; messages name the key.</summary>
internal sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions options)
    {
        var failures = new List<string>();
        if (options.MaxStreams.PerClient < 1)
        {
            failures.Add($"{LiveOptions.SectionName}:MaxStreams:PerClient: must be at least 1 (was {options.MaxStreams.PerClient}).");
        }

        if (options.MaxStreams.Total < options.MaxStreams.PerClient)
        {
            failures.Add($"{LiveOptions.SectionName}:MaxStreams:Total: must be at least Live:MaxStreams:PerClient ({options.MaxStreams.PerClient}); was {options.MaxStreams.Total}.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1) || options.HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{LiveOptions.SectionName}:HeartbeatInterval: must be between 00:00:01 and 00:05:00 (was {options.HeartbeatInterval}).");
        }

        if (options.MaxChangedEmployees < 1)
        {
            failures.Add($"{LiveOptions.SectionName}:MaxChangedEmployees: must be at least 1 (was {options.MaxChangedEmployees}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
