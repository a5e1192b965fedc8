using IncidentService.Api.Hosting;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Web.Serving;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Api;

/// <summary>
/// The whole service on the in-process simulator with latency scaled to 0. Time is frozen by default so the
/// simulator's data cannot move between the refresher's read and the test's own read of the upstream.
/// </summary>
public sealed class IncidentServiceFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Simulator:LatencyScale"] = "0",
        ["Simulator:Password"] = "sim-secret-8d1f",
    };

    public IncidentServiceFactory(bool frozenTime = true, params (string Key, string Value)[] settings)
    {
        Time = frozenTime ? new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)) : null;
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public FakeTimeProvider? Time { get; }

    public string Environment { get; init; } = "Development";

    public string SimulatorPassword => _settings["Simulator:Password"]!;

    internal EmbeddedUpstream Upstream => Services.GetRequiredService<EmbeddedUpstream>();

    internal SnapshotStore Store => Services.GetRequiredService<SnapshotStore>();

    internal ServedSnapshots Served => Services.GetRequiredService<ServedSnapshots>();

    /// <summary>A client of a service that has its first snapshot.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        await WaitForSnapshotAsync();
        return client;
    }

    public async Task WaitForSnapshotAsync()
    {
        try
        {
            await Wait.UntilAsync(() => Store.Current is not null);
        }
        catch (TimeoutException timeout)
        {
            // Say what the refresher saw, so a failure on a busy machine can be told from a hang.
            var board = Services.GetRequiredService<FeedBoard>();
            var states = string.Join("; ", board.States.Values.Select(s => $"{s.Name}: attempt {s.LastAttempt:O}, {s.LastError ?? "ok"}"));
            throw new TimeoutException($"No first snapshot: last cycle {board.LastCycle?.Number}, waiting: {board.HoldReason}; {states}", timeout);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (Time is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
        }
    }
}
