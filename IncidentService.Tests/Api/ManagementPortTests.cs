using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using IncidentService.Simulator;
using IncidentService.Tests.Cluster;

namespace IncidentService.Tests.Api;

/// <summary>
/// <c>Management:Urls</c>: the probes and the metrics answer on their own port whatever the API's clients do, and only
/// there. The service's own process on free loopback ports, in Production, on a simulator of its own.
/// </summary>
[Collection(nameof(IncidentService.Tests.Faults.RealClockRunsAlone))]
public sealed class ManagementPortTests
{
    private const string Password = "management-pw-7f3a";

    [Fact]
    public async Task Probes_and_metrics_answer_on_the_management_port_while_the_api_ports_limiter_is_exhausted_and_only_there()
    {
        await using var upstream = await UpstreamSimulator.StartAsync(new SimulatorOptions { LatencyScale = 0.02, Password = Password });
        var apiPort = LoopbackPort.Free();
        var managementPort = LoopbackPort.Free();
        while (managementPort == apiPort)
        {
            managementPort = LoopbackPort.Free();
        }

        var lines = new ConcurrentQueue<string>();
        using var process = Start(upstream, apiPort, managementPort, lines);
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await Wait.UntilAsync(async () => process.HasExited || await AnswersAsync(management, "/readyz", HttpStatusCode.OK), TimeSpan.FromSeconds(60));
            Assert.False(process.HasExited, string.Join('\n', lines));

            // A bucket of 2 that refills one token per 1000 s: this client's third request on the API port is refused.
            var limited = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                using var response = await api.GetAsync(new Uri("/status", UriKind.Relative));
                limited.Add(response.StatusCode);
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], limited);
            for (var i = 0; i < 5; i++)
            {
                foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
                {
                    using var response = await management.GetAsync(new Uri(path, UriKind.Relative));
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} on the management port: {(int)response.StatusCode}");
                }
            }

            Assert.Contains("incidents_snapshot_incidents", await management.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
            foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
            {
                using var response = await api.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} on the API port: {(int)response.StatusCode}");
            }

            // Nor does the Host header a client names take it there.
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
            spoofed.Headers.Host = $"127.0.0.1:{managementPort}";
            using var spoofedAnswer = await api.SendAsync(spoofed);
            Assert.Equal(HttpStatusCode.NotFound, spoofedAnswer.StatusCode);

            foreach (var path in new[] { "/status", "/incidents", "/swagger/v1/swagger.json" })
            {
                using var response = await management.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} on the management port: {(int)response.StatusCode}");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static Process Start(UpstreamSimulator upstream, int apiPort, int managementPort, ConcurrentQueue<string> lines)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "IncidentService.Api.dll"), "--urls", $"http://127.0.0.1:{apiPort}",
                "--Management:Urls", $"http://127.0.0.1:{managementPort}",
                "--Upstream:BaseUrl", upstream.BaseAddress.AbsoluteUri, "--Upstream:Username", "elevate", "--Upstream:Password", Password,
                "--Auth:AllowAnonymous", "true", "--RateLimit:PermitsPerSecond", "0.001", "--RateLimit:Burst", "2",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_ENVIRONMENT"] = "Production" },
        };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lines.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lines.Enqueue(line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> AnswersAsync(HttpClient client, string path, HttpStatusCode status)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode == status;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
