namespace IncidentService.Api.Hosting;

/// <summary>
/// A hosted service started in <see cref="StartedAsync"/>, which the host calls once every hosted service, the server
/// among them, has started: after the bind, and never when the bind fails. A background service's failure stops the
/// host, as the host does for the background services it starts itself.
/// </summary>
internal sealed class StartedAfterServer(IHostedService inner, IHostApplicationLifetime lifetime, ILogger<StartedAfterServer> logger) : IHostedLifecycleService
{
    private bool _started;

    public IHostedService Inner => inner;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await inner.StartAsync(cancellationToken);
        _started = true;
        if (inner is BackgroundService { ExecuteTask: { } running })
        {
            _ = WatchAsync(running);
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _started ? inner.StopAsync(cancellationToken) : Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WatchAsync(Task running)
    {
        try
        {
            await running;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped with the host.
        }
        catch (Exception exception)
        {
            HostingLog.BackgroundServiceFailed(logger, exception, inner.GetType().Name);
            lifetime.StopApplication();
        }
    }
}
