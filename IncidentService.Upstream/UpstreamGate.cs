namespace IncidentService.Upstream;

/// <summary>
/// The one place that bounds upstream requests in flight, all feeds and all attempts together: the upstream slows
/// down for everyone when called concurrently (contract §2).
/// </summary>
public sealed class UpstreamGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private int _inFlight;

    public UpstreamGate(int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        MaxConcurrency = maxConcurrency;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    public int MaxConcurrency { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _inFlight);
        return new Slot(this);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(UpstreamGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref gate._inFlight);
                gate._slots.Release();
            }
        }
    }
}
