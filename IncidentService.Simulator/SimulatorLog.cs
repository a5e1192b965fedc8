using IncidentService.Simulator.Faults;

namespace IncidentService.Simulator;

internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Upstream simulator listening on {BaseAddress} (seed {Seed}, {IncidentsPerFeed} incidents per feed, latency scale {LatencyScale})")]
    public static partial void Started(ILogger logger, Uri baseAddress, int seed, int incidentsPerFeed, double latencyScale);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Upstream simulator starts with fault {Fault} on {Target}")]
    public static partial void StartupFault(ILogger logger, string target, SimulatorFault fault);
}
