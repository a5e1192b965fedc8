using System.Collections.Concurrent;

namespace IncidentService.Tests.Upstream;

/// <summary>A programmable upstream: answers each request with the function given, and records what it saw.</summary>
internal sealed class StubUpstreamHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    private int _inFlight;
    private int _peak;

    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    public int Peak => Volatile.Read(ref _peak);

    public int InFlight => Volatile.Read(ref _inFlight);

    public static StubUpstreamHandler Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new((request, _) => Task.FromResult(answer(request)));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        try
        {
            return await answer(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
