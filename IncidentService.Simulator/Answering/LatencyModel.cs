using IncidentService.Simulator.Data;
using IncidentService.Simulator.Faults;

namespace IncidentService.Simulator.Answering;

/// <summary>
/// The observed latency (contract §2): a base time that grows with the requests already in flight
/// (base × (1 + ContentionPerRequest × others) × LatencyScale), plus up to 10% jitter.
/// </summary>
internal static class LatencyModel
{
    public static TimeSpan Delay(SimulatorOptions options, TimeSpan baseLatency, int othersInFlight, SimulatorFault fault, long requestNumber)
    {
        if (options.LatencyScale <= 0 || baseLatency <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var factor = (1 + (options.ContentionPerRequest * othersInFlight)) * options.LatencyScale;
        if (fault.Kind == SimulatorFaultKind.Slow)
        {
            factor *= fault.Factor;
        }

        // Jitter from the request number: varied like real timings, yet free of an unseeded random source.
        var jitter = 1 + (0.1 * StableHash.Unit(StableHash.Mix((ulong)requestNumber)));
        return TimeSpan.FromTicks((long)Math.Min(baseLatency.Ticks * factor * jitter, TimeSpan.FromDays(1).Ticks));
    }
}
