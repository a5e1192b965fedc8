using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentService.Simulator;

namespace IncidentService.Tests.Api;

/// <summary>
/// The service's own process, started the way an operator does, from another directory, in Production. Two real
/// processes starting at once load the machine: run alone, after the parallel tests.
/// </summary>
[Collection(nameof(IncidentService.Tests.Faults.RealClockRunsAlone))]
public sealed partial class InstalledProcessTests
{
    private const string Password = "installed-pw-51e0";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Started_from_the_root_directory_300_requests_write_no_log_line_per_request(bool withoutSettingsFile)
    {
        await using var upstream = await UpstreamSimulator.StartAsync(new SimulatorOptions { LatencyScale = 0.02, Password = Password });
        var installed = AppContext.BaseDirectory;
        var empty = Directory.CreateTempSubdirectory("no-appsettings-");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = "/",
            ArgumentList =
            {
                Path.Combine(installed, "IncidentService.Api.dll"), "--urls", "http://127.0.0.1:0",
                "--Upstream:BaseUrl", upstream.BaseAddress.AbsoluteUri, "--Upstream:Username", "elevate", "--Upstream:Password", Password,
                "--Auth:AllowAnonymous", "true", "--RateLimit:PermitsPerSecond", "100000", "--RateLimit:Burst", "100000",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_ENVIRONMENT"] = "Production" },
        };
        if (withoutSettingsFile)
        {
            start.ArgumentList.Add("--contentRoot");
            start.ArgumentList.Add(empty.FullName);
        }

        var lines = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lines.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lines.Enqueue(line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Wait.UntilAsync(() => lines.Any(l => ListeningOn().IsMatch(l)) || process.HasExited, TimeSpan.FromSeconds(60));
            var address = ListeningOn().Match(lines.First(l => ListeningOn().IsMatch(l))).Groups[1].Value;
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            await WaitUntilReadyAsync(client);
            var before = lines.Count;

            for (var i = 0; i < 300; i++)
            {
                using var response = await client.GetAsync(i % 3 == 0 ? "/incidents" : i % 3 == 1 ? "/status" : "/incidents/unresolved");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await StopAsync(process);
            var log = lines.ToArray();
            var requestLines = log.Skip(before).Where(l => Category(l) is { } c && c.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToList();
            Assert.True(requestLines.Count == 0, $"{requestLines.Count} request log lines, first: {requestLines.FirstOrDefault()}");
            Assert.True(log.Length - before < 20, $"{log.Length - before} lines logged during 300 requests");
            var contentRoot = log.Select(Message).First(m => m?.StartsWith("Content root path:", StringComparison.Ordinal) == true);
            Assert.Equal($"Content root path: {(withoutSettingsFile ? empty.FullName : installed)}", contentRoot);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            empty.Delete();
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var ready = await client.GetAsync("/readyz", deadline.Token);
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>SIGTERM, so the console logger drains its queue before the process ends.</summary>
    private static async Task StopAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
    }

    private static string? Category(string line) => Property(line, "Category");

    private static string? Message(string line) => Property(line, "Message");

    private static string? Property(string line, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("Now listening on: (http://127\\.0\\.0\\.1:[0-9]+)")]
    private static partial Regex ListeningOn();
}
