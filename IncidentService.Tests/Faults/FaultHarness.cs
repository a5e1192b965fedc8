using System.Text.Json;
using IncidentService.Api.Hosting;
using IncidentService.Api.Snapshots;
using IncidentService.Simulator;
using IncidentService.Tests.Api;
using IncidentService.Tests.Upstream;
using IncidentService.Upstream;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Faults;

/// <summary>
/// The whole service on the in-process simulator (latency 0), with every log line captured, and helpers to drive
/// refresh cycles: on a frozen clock by advancing it (<see cref="NextCycleAsync"/>), on the real clock by waiting
/// for a cycle that started after a point (<see cref="NextRealCycleAsync"/>).
/// </summary>
internal sealed class FaultHarness : IAsyncDisposable
{
    public const int MaxConcurrency = 3;
    public const string Username = "elevate";

    private readonly IncidentServiceFactory _factory;
    private readonly WebApplicationFactory<Program> _host;
    private HttpClient? _client;

    public FaultHarness(bool frozenTime = true, StubUpstreamHandler? stub = null, bool captureLogs = true, params (string Key, string Value)[] settings)
    {
        // On a frozen clock an abandoned attempt's hold would never end; the hold is proven on the real clock
        // (TimeoutFaultTests), so frozen-clock tests release at once.
        (string, string)[] clockSettings = frozenTime ? [("Upstream:AbandonedAttemptHold", "00:00:00")] : [];
        var interval = settings.LastOrDefault(s => s.Key == "Refresh:Interval").Value ?? "00:00:30";
        // A failed target's own retries are off (backoff = interval) unless a test asks for them: a fake clock moved over
        // several refresher heartbeats wakes it at each in turn, so a retry could run inside a jump meant as one cycle.
        // Retry tests set Refresh:RetryBackoff and move the clock one heartbeat at a time.
        (string, string)[] retrySettings = settings.Any(s => s.Key == "Refresh:RetryBackoff") ? [] : [("Refresh:RetryBackoff", interval)];
        _factory = new IncidentServiceFactory(frozenTime, [("Refresh:MaxConcurrency", $"{MaxConcurrency}"), .. clockSettings, .. retrySettings, .. settings]);
        Interval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture);
        Start = _factory.Time?.GetUtcNow() ?? DateTimeOffset.UtcNow;
        _host = _factory.WithWebHostBuilder(builder =>
        {
            // Everything, down to Trace, so a secret written at any level would be seen (and kept: not for long runs).
            if (captureLogs)
            {
                builder.ConfigureLogging(logging => logging.AddFakeLogging().AddFilter<FakeLoggerProvider>(null, LogLevel.Trace));
            }
            if (stub is not null)
            {
                builder.ConfigureTestServices(services => services.AddHttpClient<UpstreamClient>().ConfigurePrimaryHttpMessageHandler(() => stub));
            }
        });
    }

    public TimeSpan Interval { get; }

    /// <summary>The fake clock's start: the refresher's periodic timer ticks at Start + k × Interval.</summary>
    public DateTimeOffset Start { get; }

    public FakeTimeProvider Time => _factory.Time ?? throw new InvalidOperationException("This harness runs on the real clock.");

    public string Password => _factory.SimulatorPassword;

    public IServiceProvider Services => _host.Services;

    public HttpClient Client => _client ??= _host.CreateClient();

    public FeedBoard Board => Services.GetRequiredService<FeedBoard>();

    public SnapshotStore Store => Services.GetRequiredService<SnapshotStore>();

    public UpstreamSimulator Simulator => Services.GetRequiredService<EmbeddedUpstream>().Simulator;

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public long Cycle => Board.LastCycle?.Number ?? 0;

    /// <summary>Starts the host and waits for the first cycle to have published a snapshot.</summary>
    public async Task StartAsync()
    {
        _ = Client;
        try
        {
            await Wait.UntilAsync(() => Store.Current is not null && Cycle >= 1, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException timeout)
        {
            // Say what the refresher saw, so a failure on a busy machine can be told from a hang.
            var states = string.Join("; ", Board.States.Values.Select(s => $"{s.Name}: {s.LastError ?? "ok"}"));
            var logs = string.Join(" | ", Logs.GetSnapshot().Where(l => l.Level >= LogLevel.Warning).TakeLast(10).Select(l => l.Message));
            throw new TimeoutException($"No first snapshot: cycle {Cycle}, simulator in flight {Simulator.InFlight}; {states}; logs: {logs}", timeout);
        }
    }

    /// <summary>
    /// Frozen clock: moves it by <paramref name="advance"/> (default the interval), which starts a cycle, and waits
    /// for that cycle to end. Retry delays and Retry-After waits run on the same fake clock, so while waiting the clock
    /// is nudged forward by <paramref name="pump"/> steps (never as far as the next interval); none when null.
    /// </summary>
    public async Task NextCycleAsync(TimeSpan? advance = null, TimeSpan? pump = null)
    {
        var from = Time.GetUtcNow();
        var to = from + (advance ?? Interval);
        if (Tick(to) - Tick(from) != 1)
        {
            // Over several ticks the refresher runs one or two cycles, depending on whether it was already waiting.
            throw new ArgumentException("Advance over exactly one tick of the refresh timer; for a longer jump, configure a longer Refresh:Interval.", nameof(advance));
        }

        var target = Cycle + 1;
        Time.Advance(to - from);
        var pumped = TimeSpan.Zero;
        await Wait.UntilAsync(() =>
        {
            if (Cycle >= target)
            {
                return true;
            }

            if (pump is { } step)
            {
                pumped += step;
                if (pumped >= Interval - TimeSpan.FromSeconds(1))
                {
                    throw new InvalidOperationException($"The cycle did not end within {pumped} of pumped time.");
                }

                Time.Advance(step);
            }

            return false;
        });
    }

    private long Tick(DateTimeOffset at) => (at - Start).Ticks / Interval.Ticks;

    /// <summary>Real clock: waits for a whole cycle that started at or after <paramref name="after"/>.</summary>
    public Task NextRealCycleAsync(DateTimeOffset after, TimeSpan? deadline = null) =>
        Wait.UntilAsync(() => Board.LastCycle is { } cycle && cycle.StartedAt >= after, deadline ?? TimeSpan.FromSeconds(60)); // generous: a bound for a broken test, not a timing

    public Task<string> IncidentsAsync() => Client.GetStringAsync(new Uri("/incidents", UriKind.Relative));

    public async Task<JsonElement> StatusAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync(new Uri("/status", UriKind.Relative)));
        return document.RootElement.Clone();
    }

    public static JsonElement Feed(JsonElement status, string name) =>
        status.GetProperty("feeds").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    /// <summary>The contract's aggregation (docs/contract.md §3) computed from the simulator's current answers (faults must be off), without the service's code.</summary>
    public Task<string> ExpectedAsync() => IndependentAggregation.FromUpstreamAsync(Simulator.BaseAddress, Username, Password);

    /// <summary>
    /// One feed's part of an <c>/incidents</c> body: every incident of that type with its employee and priority, in a
    /// stable order; two bodies agree on a feed exactly when these strings are equal.
    /// </summary>
    public static Dictionary<string, string> ByFeed(string incidents)
    {
        using var document = JsonDocument.Parse(incidents);
        var lines = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var employee in document.RootElement.EnumerateObject())
        {
            foreach (var priority in employee.Value.EnumerateObject())
            {
                foreach (var incident in priority.Value.GetProperty("incidents").EnumerateArray())
                {
                    var type = incident.GetProperty("type").GetString()!;
                    if (!lines.TryGetValue(type, out var list))
                    {
                        lines[type] = list = [];
                    }

                    list.Add($"{employee.Name}/{priority.Name}/{incident.GetRawText()}");
                }
            }
        }

        return lines.ToDictionary(l => l.Key, l => string.Join("\n", l.Value.Order(StringComparer.Ordinal)), StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
    }
}
