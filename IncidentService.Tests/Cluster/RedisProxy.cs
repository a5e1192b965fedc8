using System.Net;
using System.Net.Sockets;

namespace IncidentService.Tests.Cluster;

/// <summary>
/// A TCP relay on loopback between one replica and Redis. <see cref="Partition"/> stops carrying bytes both ways
/// while every connection stays open: what a replica sees when the network between it and Redis drops packets.
/// </summary>
internal sealed class RedisProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Lock _lock = new();
    private volatile TaskCompletionSource _open = Opened();
    private readonly Task _accepting;

    public RedisProxy(int target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Configuration => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>From now on nothing is forwarded in either direction (bytes wait, connections stay open).</summary>
    public void Partition() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_lock)
        {
            _clients.ForEach(client => client.Dispose());
        }

        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            lock (_lock)
            {
                _clients.Add(client);
                _clients.Add(server);
            }

            _ = PumpAsync(client.GetStream(), server.GetStream());
            _ = PumpAsync(server.GetStream(), client.GetStream());
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await _open.Task.WaitAsync(_stop.Token);
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                await _open.Task.WaitAsync(_stop.Token); // a partition that began during the read holds these bytes too
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // One side went away or the proxy stops.
        }
    }
}
