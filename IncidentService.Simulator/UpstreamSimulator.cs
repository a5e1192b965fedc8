using IncidentService.Simulator.Answering;
using IncidentService.Simulator.Data;
using IncidentService.Simulator.Faults;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IncidentService.Simulator;

/// <summary>
/// The 2021 upstream incident API (contract §2) on a Kestrel of its own: for the service when no real upstream is
/// configured, for tests (latency scaled to 0, faults switched on), and standalone.
/// </summary>
public sealed class UpstreamSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestTracker _tracker;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private UpstreamSimulator(WebApplication app, SimulatorOptions options, SimulatorFaultBoard faults, RequestTracker tracker, CancellationTokenSource stopping, Uri baseAddress)
    {
        _app = app;
        Options = options;
        Faults = faults;
        _tracker = tracker;
        _stopping = stopping;
        BaseAddress = baseAddress;
    }

    /// <summary>The root of the simulated API with a trailing slash, e.g. <c>http://127.0.0.1:41235/</c>.</summary>
    public Uri BaseAddress { get; }

    public SimulatorOptions Options { get; }

    public SimulatorFaultBoard Faults { get; }

    /// <summary>Upstream requests being served now, including ones waiting on latency or a hang.</summary>
    public int InFlight => _tracker.InFlight;

    /// <summary>The most upstream requests in flight at once since start or <see cref="ResetPeak"/>.</summary>
    public int PeakInFlight => _tracker.PeakInFlight;

    public long RequestCount => _tracker.RequestCount;

    /// <summary>
    /// Starts the simulator on <paramref name="url"/> (default: a free loopback port), logging to the console. The host
    /// is isolated: it reads no configuration files or environment of the calling app.
    /// </summary>
    /// <param name="options">Data, latency, credentials and startup faults; read as described on <see cref="SimulatorOptions"/>.</param>
    /// <param name="time">The clock that places the incident window and runs the latency; null: the system clock.</param>
    /// <param name="url">Kestrel URL; port 0 picks a free port (see <see cref="BaseAddress"/>).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names the key.</exception>
    public static Task<UpstreamSimulator> StartAsync(
        SimulatorOptions options,
        TimeProvider? time = null,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default) =>
        StartAsync(options, null, time, url, cancellationToken);

    /// <summary>As the other overload, logging through <paramref name="loggerFactory"/> (null: the console).</summary>
    public static async Task<UpstreamSimulator> StartAsync(
        SimulatorOptions options,
        ILoggerFactory? loggerFactory,
        TimeProvider? time,
        string url,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        SimulatorOptionsValidation.ThrowIfInvalid(options);
        time ??= TimeProvider.System;

        var faults = new SimulatorFaultBoard();
        foreach (var (target, fault) in options.Faults ?? [])
        {
            faults.Set(target, fault);
        }

        var tracker = new RequestTracker();
        var stopping = new CancellationTokenSource();
        var handler = new UpstreamHandler(options, new SimulatorData(options), faults, tracker, new BasicAuthenticator(options.Username, options.Password), time, stopping.Token);
        WebApplication app;
        for (var attempt = 1; ; attempt++)
        {
            app = Build(url, loggerFactory);
            app.Use(handler.TrackAsync);
            FaultControlEndpoints.Map(app, faults, tracker);
            app.MapGet("/incidents/{type}", handler.IncidentsAsync);
            app.MapGet("/identities", handler.IdentitiesAsync);
            app.MapFallback("{**path}", handler.NotFoundAsync);

            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch
            {
                await app.DisposeAsync();
                stopping.Dispose();
                throw;
            }

            // A WebApplicationFactory starting elsewhere in the process listens for every host being built and may put
            // its in-memory server under this one: then nothing listens (the address keeps port 0). Build it again.
            if (BaseAddressOf(app).Port != 0 || new Uri(url).Port != 0 || attempt == 5)
            {
                break;
            }

            await app.DisposeAsync();
        }

        var baseAddress = BaseAddressOf(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<UpstreamSimulator>();
        SimulatorLog.Started(logger, baseAddress, options.Seed, options.IncidentsPerFeed, options.LatencyScale);
        foreach (var (target, fault) in faults.Snapshot().Where(f => f.Value.Kind != SimulatorFaultKind.None))
        {
            SimulatorLog.StartupFault(logger, target, fault);
        }

        return new UpstreamSimulator(app, options, faults, tracker, stopping, baseAddress);
    }

    public void ResetPeak() => _tracker.ResetPeak();

    /// <summary>Stops promptly, even while requests hang: waiting requests are cancelled and their connections aborted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(deadline.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _stopping.Dispose();
        }
    }

    private static WebApplication Build(string url, ILoggerFactory? loggerFactory)
    {
        // An empty builder: the simulator runs inside the service's process and must not pick up its
        // appsettings, Kestrel endpoints or environment.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(UpstreamSimulator).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().UseUrls(url);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, OwnerLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        if (loggerFactory is null)
        {
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddSimpleConsole(console => console.SingleLine = true);
        }
        else
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        return builder.Build();
    }

    private static Uri BaseAddressOf(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
