using IncidentService.Simulator;
using IncidentService.Upstream;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Runs the upstream simulator in-process on a loopback port, for Development with no <c>Upstream:BaseUrl</c>.
/// Registered before the refresher, so it is listening before the first cycle. The simulator's host does not say
/// <c>Now listening on:</c>: that line is the service's own; the simulator announces itself as the simulator.
/// </summary>
internal sealed class EmbeddedUpstream(
    IOptions<SimulatorOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<EmbeddedUpstream> logger) : IHostedService, IAsyncDisposable
{
    private UpstreamSimulator? _simulator;

    public UpstreamSimulator Simulator => _simulator ?? throw new InvalidOperationException("The embedded upstream simulator has not started yet.");

    public UpstreamConnection Connection =>
        new(Simulator.BaseAddress, options.Value.Username, options.Value.Password, IsSimulator: true);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _simulator = await UpstreamSimulator.StartAsync(options.Value, new WithoutLifetimeLines(loggers), time, "http://127.0.0.1:0", cancellationToken);
        HostingLog.SimulatorStarted(logger, _simulator.BaseAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _simulator, null) is { } simulator)
        {
            await simulator.DisposeAsync();
        }
    }

    /// <summary>The service's loggers, less the simulator host's lifetime lines.</summary>
    private sealed class WithoutLifetimeLines(ILoggerFactory inner) : ILoggerFactory
    {
        private const string LifetimeCategory = "Microsoft.Hosting.Lifetime";

        public ILogger CreateLogger(string categoryName) =>
            categoryName == LifetimeCategory ? NullLogger.Instance : inner.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The service's factory, disposed by the service.
        }
    }
}
