using System.Diagnostics;
using IncidentService.Simulator.Faults;

namespace IncidentService.Tests.Simulator;

public sealed class SimulatorLoadTests
{
    [Fact]
    public async Task Peak_in_flight_counts_concurrent_requests_and_resets()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.SetAll(new SimulatorFault(SimulatorFaultKind.Hang));
        using var release = new CancellationTokenSource();

        var calls = new[] { "incidents/denial/", "incidents/misuse/", "incidents/other/", "identities/", "incidents/denial/" }
            .Select(path => Swallow(harness.Client.GetAsync(path, release.Token)))
            .ToList();
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 5);
        var peakWhileHanging = harness.Simulator.PeakInFlight;
        await release.CancelAsync();
        await Task.WhenAll(calls);
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 0);
        var peakAfter = harness.Simulator.PeakInFlight;
        harness.Simulator.ResetPeak();

        Assert.Equal(5, peakWhileHanging);
        Assert.Equal(5, peakAfter);
        Assert.Equal(0, harness.Simulator.PeakInFlight);
        Assert.Equal(5, harness.Simulator.RequestCount);
    }

    [Fact]
    public async Task Unauthorized_requests_are_counted_too()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        using var anonymous = SimulatorHarness.CreateClient(harness.Simulator.BaseAddress, null, null);

        using var response = await anonymous.GetAsync("incidents/denial/");
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 0);

        Assert.Equal(1, harness.Simulator.RequestCount);
        Assert.Equal(1, harness.Simulator.PeakInFlight);
    }

    [Fact]
    public async Task Latency_runs_on_the_given_clock_from_the_base_latency()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => (o.LatencyScale, o.IncidentsLatency, o.ContentionPerRequest) = (1, TimeSpan.FromSeconds(1), 0));

        var waited = await FakeTimeUntilAnsweredAsync(harness, "incidents/denial/");

        Assert.InRange(waited, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Slow_fault_multiplies_the_latency_by_its_factor()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => (o.LatencyScale, o.IncidentsLatency, o.ContentionPerRequest) = (1, TimeSpan.FromSeconds(1), 0));
        harness.Simulator.Faults.Set("denial", SimulatorFault.Parse("Slow:4"));

        var waited = await FakeTimeUntilAnsweredAsync(harness, "incidents/denial/");

        Assert.True(waited >= TimeSpan.FromSeconds(4), $"answered after {waited}");
    }

    [Fact]
    public async Task Each_other_request_in_flight_adds_its_share_of_latency()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => (o.LatencyScale, o.IncidentsLatency, o.ContentionPerRequest) = (1, TimeSpan.FromSeconds(1), 1.0));
        harness.Simulator.Faults.Set("misuse", new SimulatorFault(SimulatorFaultKind.Hang));
        using var release = new CancellationTokenSource();
        var hanging = new[] { Swallow(harness.Client.GetAsync("incidents/misuse/", release.Token)), Swallow(harness.Client.GetAsync("incidents/misuse/", release.Token)) };
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 2);

        var waited = await FakeTimeUntilAnsweredAsync(harness, "incidents/denial/");
        await release.CancelAsync();
        await Task.WhenAll(hanging);

        Assert.True(waited >= TimeSpan.FromSeconds(3), $"answered after {waited}"); // 1 s × (1 + 1.0 × 2 others)
    }

    [Fact]
    public async Task Zero_latency_scale_answers_without_advancing_the_clock()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => (o.LatencyScale, o.IncidentsLatency) = (0, TimeSpan.FromHours(1)));

        // Nothing here advances the fake clock: an answer that waited its hour of latency on it would never come.
        var call = harness.Client.GetAsync("incidents/denial/");
        await SimulatorHarness.WaitUntilAsync(() => call.IsCompleted, TimeSpan.FromSeconds(10));
        using var response = await call;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{\"results\": [", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(SimulatorHarness.Start, harness.Time.GetUtcNow());
    }

    [Fact]
    public async Task Dispose_stops_promptly_while_requests_hang_and_never_answers_them_as_success()
    {
        var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("denial", new SimulatorFault(SimulatorFaultKind.Hang));
        harness.Simulator.Faults.Set("identities", new SimulatorFault(SimulatorFaultKind.StallMidBody));
        var hanging = harness.Client.GetAsync("incidents/denial/");
        var stalled = harness.Client.GetByteArrayAsync("identities/");
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 2);

        var clock = Stopwatch.StartNew();
        await harness.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stopping took {clock.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => hanging);
        await Assert.ThrowsAnyAsync<Exception>(() => stalled);
    }

    /// <summary>Advances the fake clock in small steps until the request is answered; returns the fake time it took.</summary>
    private static async Task<TimeSpan> FakeTimeUntilAnsweredAsync(SimulatorHarness harness, string path)
    {
        var started = harness.Time.GetUtcNow();
        var call = harness.Client.GetAsync(path);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!call.IsCompleted)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(call, Task.Delay(5, deadline.Token));
        }

        using var response = await call;
        response.EnsureSuccessStatusCode();
        return harness.Time.GetUtcNow() - started;
    }

    private static async Task Swallow(Task<HttpResponseMessage> call)
    {
        try
        {
            (await call).Dispose();
        }
        catch (OperationCanceledException)
        {
            // Released by the test.
        }
    }
}
