namespace IncidentService.Simulator.Answering;

/// <summary>Counts upstream requests in flight (for the contention model and for tests that check a client's discipline).</summary>
internal sealed class RequestTracker
{
    private int _inFlight;
    private int _peak;
    private long _count;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int PeakInFlight => Volatile.Read(ref _peak);

    public long RequestCount => Interlocked.Read(ref _count);

    /// <summary>Registers a request; returns how many others were in flight when it started.</summary>
    public int Enter()
    {
        Interlocked.Increment(ref _count);
        var now = Interlocked.Increment(ref _inFlight);
        var peak = Volatile.Read(ref _peak);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }

        return now - 1;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Restarts peak tracking from the current in-flight count.</summary>
    public void ResetPeak() => Volatile.Write(ref _peak, InFlight);
}
