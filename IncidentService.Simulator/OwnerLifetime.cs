namespace IncidentService.Simulator;

/// <summary>
/// The simulator's host is stopped by its owner (<see cref="UpstreamSimulator.DisposeAsync"/>), never by console
/// signals: inside the service's process those belong to the service's own host.
/// </summary>
internal sealed class OwnerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
