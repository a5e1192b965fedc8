using Microsoft.Extensions.Options;

namespace IncidentService.Api.Cluster;

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var problems = new List<string>();
        if (options.LeaseDuration < TimeSpan.FromSeconds(3))
        {
            problems.Add($"Cluster:LeaseDuration: ({options.LeaseDuration}) must be at least 00:00:03, to renew it in time");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            problems.Add("Cluster:KeyPrefix: must not be empty");
        }

        if (options.ReplicaName is { } replica && (replica.Length == 0 || replica.Any(char.IsWhiteSpace)))
        {
            problems.Add("Cluster:ReplicaName: must be a name without spaces");
        }

        if (options.CheckInterval <= TimeSpan.Zero)
        {
            problems.Add($"Cluster:CheckInterval: ({options.CheckInterval}) must be positive");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
