using IncidentService.Api.Snapshots;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// Before the server listens: serves the stored snapshot at once, if there is one (Redis, or <c>Snapshot:Path</c>),
/// even while the upstream is down. Bounded, so an unreachable Redis delays the start by at most a few seconds.
/// </summary>
internal sealed class WarmStart(
    IPollerCoordination coordination,
    RecordInstaller installer,
    ClusterBoard board,
    TimeProvider time,
    ILogger<WarmStart> logger) : IHostedService
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var source = board.View.Role == ClusterRole.Alone ? SnapshotSource.File : SnapshotSource.Redis;
        try
        {
            if (await coordination.ReadLatestAsync(cancellationToken).WaitAsync(Budget, time, cancellationToken) is { } stored)
            {
                installer.Install(stored, source, atStart: true);
            }
        }
        catch (Exception exception) when (exception is RedisUnavailableException or TimeoutException)
        {
            logger.NoWarmStart(exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
