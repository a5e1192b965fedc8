using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace IncidentService.Tests.Cluster;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence (a kill loses its data, the harder case),
/// started and stopped by the test. <c>.ci/run</c> installs the Debian package.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(LoopbackPort.Free());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts it (again) on the same port and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; is the redis-server package installed?");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await AnswersPingAsync())
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>FLUSHALL: every key gone at once, the lease with the rest, while every replica carries on.</summary>
    public async Task FlushAllAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync("FLUSHALL\r\n"u8.ToArray());
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer);
        if (!Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("FLUSHALL was not acknowledged");
        }
    }

    /// <summary>kill -9: no shutdown, no save.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
