using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IncidentService.Simulator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Simulator;

/// <summary>A simulator on a free loopback port with a frozen clock, no latency, and an authenticated client.</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2021, 8, 18, 3, 14, 33, TimeSpan.Zero);

    private SimulatorHarness(UpstreamSimulator simulator, FakeTimeProvider time)
    {
        Simulator = simulator;
        Time = time;
        Client = CreateClient(simulator.BaseAddress, simulator.Options.Username, simulator.Options.Password);
    }

    public UpstreamSimulator Simulator { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public static async Task<SimulatorHarness> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions { LatencyScale = 0 };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(Start);
        var simulator = await UpstreamSimulator.StartAsync(options, NullLoggerFactory.Instance, time, "http://127.0.0.1:0", CancellationToken.None);
        return new SimulatorHarness(simulator, time);
    }

    public static HttpClient CreateClient(Uri baseAddress, string? username, string? password, bool followRedirects = false)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (username is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        return client;
    }

    /// <summary>Polls a condition until it holds; the deadline only bounds a broken test.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<JsonElement> GetJsonAsync(string path) => JsonDocument.Parse(await GetStringAsync(path)).RootElement;

    public async Task<JsonElement[]> GetResultsAsync(string feed) =>
        [.. (await GetJsonAsync($"incidents/{feed}/")).GetProperty("results").EnumerateArray()];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }
}
