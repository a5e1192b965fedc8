using IncidentService.Api.Snapshots;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// On a replica that is not the poller, installs each record the leader publishes: woken by the publish channel, and
/// checking the publish number every <see cref="ClusterOptions.CheckInterval"/> besides, as a notification sent while
/// this replica was disconnected is never delivered.
/// </summary>
internal sealed class RecordFollower(
    RedisRecordStore store,
    IPollerCoordination coordination,
    RecordRefusals refusals,
    RecordInstaller installer,
    ClusterBoard board,
    IOptions<ClusterOptions> options,
    TimeProvider time) : BackgroundService
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _subscribed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = Volatile.Read(ref _wake);
                await FollowOnceAsync(stoppingToken);
                await Task.WhenAny(wake.Task, Task.Delay(options.Value.CheckInterval, time, stoppingToken));
                if (wake.Task.IsCompleted)
                {
                    Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Installs the published record when its number differs from the one served (numbers only grow, unless Redis lost
    /// its data and every replica that remembered them restarted too); the poller installs nothing.
    /// </summary>
    internal async Task FollowOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!_subscribed)
            {
                await store.SubscribeAsync(Wake);
                _subscribed = true;
            }

            if (board.View.Role == ClusterRole.Leader || await store.ReadVersionAsync() is not { } version || version == board.View.RecordVersion || refusals.Refused(version))
            {
                return;
            }

            if (await coordination.ReadLatestAsync(cancellationToken) is { } latest && board.View.Role != ClusterRole.Leader)
            {
                installer.Install(latest, SnapshotSource.Redis);
            }
        }
        catch (RedisUnavailableException)
        {
            // Counted and shown by the store; the last snapshot stays in service, and the next check tries again.
        }
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();
}
