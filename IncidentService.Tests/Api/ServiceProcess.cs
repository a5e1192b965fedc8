using System.Collections.Concurrent;
using System.Diagnostics;

namespace IncidentService.Tests.Api;

/// <summary>The service's own entry point in a process of its own, in Development, its output collected line by line.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServiceProcess(Process process) => _process = process;

    public IReadOnlyList<string> Lines => [.. _lines];

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the service; no address variable of the test run's own reaches it, only those given.</summary>
    public static ServiceProcess Start(IEnumerable<string> args, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_ENVIRONMENT"] = "Development", ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Simulator__LatencyScale"] = "0" },
        };
        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IncidentService.Api.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) service._lines.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) service._lines.Enqueue(line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Waits until a line contains <paramref name="text"/>, failing with the output so far if the process ends first.</summary>
    public async Task<string> WaitForLineAsync(string text)
    {
        await Wait.UntilAsync(() => Lines.Any(l => l.Contains(text, StringComparison.Ordinal)) || _process.HasExited, TimeSpan.FromSeconds(60));
        return Lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The service ended without '{text}':\n{string.Join('\n', Lines)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
