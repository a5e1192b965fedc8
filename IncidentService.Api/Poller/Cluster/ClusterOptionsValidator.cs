using Microsoft.Extensions.Options;

namespace IncidentService.Api.Poller.Cluster;

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    /// <summary>
    /// The term ends a sixth of the lease before it could run out and is renewed every third, so renewals have half the
    /// lease to get through, each bounded by the time left: 2.5 s here, room for a Redis reply slowed by a reconnect.
    /// </summary>
    public static readonly TimeSpan MinimumLease = TimeSpan.FromSeconds(5);

    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var problems = new List<string>();
        if (options.LeaseDuration < MinimumLease)
        {
            problems.Add($"Cluster:LeaseDuration: ({options.LeaseDuration}) must be at least {MinimumLease:c}, so that a renewal has room for a slow Redis reply and a retry before the term must end");
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
