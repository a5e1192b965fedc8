using IncidentService.Api.Web.Access;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Web.Live;

/// <summary>The open change streams, counted per client and in all, against <c>Live:MaxStreams</c>.</summary>
public sealed class LiveStreams(IOptions<LiveOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RateLimitClient, int> _perClient = [];
    private int _open;

    public int Open => Volatile.Read(ref _open);

    /// <summary>A slot for one more stream of <paramref name="client"/>, or why there is none.</summary>
    internal StreamSlot TryOpen(RateLimitClient client)
    {
        var limits = options.Value.MaxStreams;
        lock (_gate)
        {
            if (_open >= limits.Total)
            {
                return new StreamRefused($"This service holds its limit of {limits.Total} open streams.");
            }

            var held = _perClient.GetValueOrDefault(client);
            if (held >= limits.PerClient)
            {
                return new StreamRefused($"This client holds its limit of {limits.PerClient} open streams; close one first.");
            }

            _perClient[client] = held + 1;
            _open++;
            return new StreamOpened(this, client);
        }
    }

    private void Close(RateLimitClient client)
    {
        lock (_gate)
        {
            var held = _perClient[client] - 1;
            if (held == 0)
            {
                _perClient.Remove(client);
            }
            else
            {
                _perClient[client] = held;
            }

            _open--;
        }
    }

    /// <summary>Holds a slot until disposed.</summary>
    internal sealed class StreamOpened(LiveStreams streams, RateLimitClient client) : StreamSlot, IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                streams.Close(client);
            }
        }
    }
}

/// <summary>The outcome of asking for a stream slot.</summary>
internal abstract class StreamSlot;

/// <summary>No slot: the limit reached, in words for the client.</summary>
internal sealed class StreamRefused(string reason) : StreamSlot
{
    public string Reason { get; } = reason;
}
