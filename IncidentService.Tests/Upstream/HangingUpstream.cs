namespace IncidentService.Tests.Upstream;

/// <summary>
/// An upstream that keeps every request until the test ends it (<see cref="HeldRequest"/>), whatever the client does
/// meanwhile — unless the client closes the connection, which ends it on the token it was sent with.
/// </summary>
internal sealed class HangingUpstream
{
    private readonly Lock _sync = new();
    private readonly List<TaskCompletionSource<HeldRequest>> _arrivals = [];
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The <paramref name="index"/>-th request (from 0), once it has arrived.</summary>
    public Task<HeldRequest> Arrival(int index)
    {
        lock (_sync)
        {
            return Slot(index).Task;
        }
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var held = new HeldRequest(cancellationToken);
        var index = Interlocked.Increment(ref _requests) - 1;
        lock (_sync)
        {
            Slot(index).SetResult(held);
        }

        return held.Outcome.WaitAsync(cancellationToken);
    }

    private TaskCompletionSource<HeldRequest> Slot(int index)
    {
        while (_arrivals.Count <= index)
        {
            _arrivals.Add(new TaskCompletionSource<HeldRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return _arrivals[index];
    }
}
