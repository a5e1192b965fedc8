using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace IncidentService.Tests.Cluster;

/// <summary>One replica: the service's own published entry point in its own process, on a free loopback port.</summary>
internal sealed class Replica : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private Replica(string name, int port, Process process)
    {
        (Name, Port, _process) = (name, port, process);
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public HttpClient Client { get; }

    public bool Exited => _process.HasExited;

    public static Replica Start(string name, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IncidentService.Api.dll"));
        foreach (var (key, value) in settings.Append(new("urls", $"http://127.0.0.1:{port}")).Append(new("Cluster:ReplicaName", name)))
        {
            start.ArgumentList.Add("--" + key);
            start.ArgumentList.Add(value);
        }

        return new Replica(name, port, Process.Start(start)!);
    }

    public async Task<JsonElement> StatusAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/status"));
        return document.RootElement.Clone();
    }

    /// <summary>The role in <c>/status</c>, or null while the process does not answer.</summary>
    public async Task<string?> RoleAsync()
    {
        try
        {
            return (await StatusAsync()).GetProperty("cluster").GetProperty("role").GetString();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Status code, ETag and body of <c>/incidents</c>; 0 when the request failed at all.</summary>
    public async Task<(HttpStatusCode Status, string? ETag, byte[] Body)> IncidentsAsync()
    {
        try
        {
            using var response = await Client.GetAsync("/incidents");
            return (response.StatusCode, response.Headers.ETag?.Tag, await response.Content.ReadAsByteArrayAsync());
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return (0, null, []);
        }
    }

    /// <summary>SIGSTOP: the process stops dead (a long pause, a frozen VM or container) until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT: the paused process carries on where it stopped, its clock having moved on meanwhile.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    /// <summary>kill -9: no shutdown, the lease is not handed back.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>How many lines of its log (the last 500) contain <paramref name="text"/>.</summary>
    public int Logged(string text) => _log.Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>The last lines of its log, for a failure message.</summary>
    public string Tail(int lines = 30) => $"--- {Name} (port {Port.ToString(CultureInfo.InvariantCulture)}) ---\n" + string.Join('\n', _log.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        Client.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 500 && _log.TryDequeue(out _))
        {
        }
    }
}
