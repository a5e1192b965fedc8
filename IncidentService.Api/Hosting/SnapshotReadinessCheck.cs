using IncidentService.Api.Poller.Refresh;
using IncidentService.Api.Snapshots;
using IncidentService.Core.Ledger;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Ready when a snapshot is served and every target's served data is younger than
/// <see cref="RefreshOptions.MaxSnapshotAgeIntervals"/> intervals (the ledger's rule): a rebuild from old data does not
/// make it fresh, and a feed that never answered counts as old from the start.
/// </summary>
internal sealed class SnapshotReadinessCheck(SnapshotStore store, IFeedStatus board, RefreshPolicy policy, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store.Current is null || board.Ledger is not { } ledger)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"No snapshot yet: {board.HoldReason ?? "the first cycle is running"}."));
        }

        var readiness = ledger.Readiness(time.GetUtcNow(), policy);
        return Task.FromResult(readiness.Ready ? HealthCheckResult.Healthy(readiness.Description) : HealthCheckResult.Unhealthy(readiness.Description));
    }
}
