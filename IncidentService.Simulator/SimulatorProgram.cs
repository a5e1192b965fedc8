using System.Runtime.InteropServices;

namespace IncidentService.Simulator;

/// <summary>
/// Standalone entry point: <c>dotnet run --project IncidentService.Simulator -- --urls http://127.0.0.1:9100</c>.
/// A named class rather than top-level statements, so no <c>Program</c> type (which ASP.NET Core makes public)
/// competes with the service's own.
/// </summary>
internal static class SimulatorProgram
{
    private const string DefaultUrl = "http://127.0.0.1:9100";

    public static async Task<int> Main(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

        var options = new SimulatorOptions();
        configuration.GetSection(SimulatorOptions.SectionName).Bind(options);
        var url = configuration["urls"] ?? DefaultUrl;

        using var loggerFactory = LoggerFactory.Create(logging => logging.AddFilter("Microsoft", LogLevel.Warning).AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole(console => console.SingleLine = true));
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var simulator = await UpstreamSimulator.StartAsync(options, loggerFactory, TimeProvider.System, url, stop.Token);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: fall through to a graceful stop.
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
