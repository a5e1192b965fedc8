using IncidentService.Api.Refresh;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>Ready once a snapshot exists and is younger than <see cref="RefreshOptions.MaxSnapshotAge"/>.</summary>
internal sealed class SnapshotReadinessCheck(SnapshotStore store, IOptions<RefreshOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store.Current is not { } snapshot)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No snapshot yet."));
        }

        var age = time.GetUtcNow() - snapshot.CreatedAt;
        var limit = options.Value.MaxSnapshotAge;
        return Task.FromResult(age <= limit
            ? HealthCheckResult.Healthy($"Snapshot is {age.TotalSeconds:0} s old.")
            : HealthCheckResult.Unhealthy($"Snapshot is {age.TotalSeconds:0} s old, over the {limit.TotalSeconds:0} s limit."));
    }
}
