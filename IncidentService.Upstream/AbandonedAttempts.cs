using System.Collections.Concurrent;

namespace IncidentService.Upstream;

/// <summary>
/// The requests this side gave up on that the upstream may still be working on, each holding its gate slot (so there
/// are never more than <c>Refresh:MaxConcurrency</c>). The next attempt at the same target waits for one of these
/// instead of asking again. Disposed with the host: then nobody is left to wait, and every one of them is ended.
/// </summary>
internal sealed class AbandonedAttempts : IDisposable
{
    private readonly ConcurrentDictionary<UpstreamExchange, byte> _held = new();
    private int _closed;

    /// <summary>An abandoned request to <paramref name="target"/> still at the upstream, if there is one.</summary>
    public UpstreamExchange? Pending(string target)
    {
        foreach (var (exchange, _) in _held)
        {
            if (exchange.Target == target)
            {
                return exchange;
            }
        }

        return null;
    }

    /// <summary>Keeps <paramref name="exchange"/> for the next attempt at its target; false once closed (then end it).</summary>
    public bool TryAdd(UpstreamExchange exchange)
    {
        _held.TryAdd(exchange, 0);
        return Volatile.Read(ref _closed) == 0; // else Dispose may or may not have seen it: the caller ends it either way
    }

    public void Remove(UpstreamExchange exchange) => _held.TryRemove(exchange, out _);

    public void Dispose()
    {
        Volatile.Write(ref _closed, 1);
        foreach (var (exchange, _) in _held)
        {
            exchange.End();
        }
    }
}
