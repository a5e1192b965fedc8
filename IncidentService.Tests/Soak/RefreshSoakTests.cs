using System.Diagnostics;
using System.Globalization;
using IncidentService.Simulator.Faults;
using IncidentService.Tests.Faults;
using Xunit.Abstractions;
using static IncidentService.Simulator.Faults.SimulatorFaultKind;

namespace IncidentService.Tests.Soak;

/// <summary>
/// Many refresh cycles on a fake clock (latency 0, one interval per cycle, so the data window moves and new incidents
/// appear) with random whole-answer faults. After every cycle the served snapshot is checked against an independent
/// aggregation: a feed that answered is served exactly as the simulator has it now, a feed that failed exactly as
/// before the cycle. Cycles: <c>SOAK_CYCLES</c> (default 300); seed: <c>SOAK_SEED</c> (default 2021, printed).
/// </summary>
[Trait("Category", "Soak")]
[Collection(nameof(SoakRunsAlone))]
public sealed class RefreshSoakTests(ITestOutputHelper output)
{
    private static readonly SimulatorFaultKind[] FeedFaults =
        [ServerError, BadGateway, Unavailable, Unauthorized, Html, TruncatedJson, ResultsMissing, ResultsNotArray, ConnectionReset];

    private static readonly SimulatorFaultKind[] IdentitiesFaults =
        [ServerError, BadGateway, Unavailable, Unauthorized, Html, TruncatedJson, ResultsNotArray, ConnectionReset];

    private static readonly string[] Feeds = ["denial", "intrusion", "executable", "misuse", "unauthorized", "probing", "other"];

    [Fact]
    public async Task Many_cycles_with_random_faults_serve_exactly_the_last_good_answers_and_leak_nothing()
    {
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("SOAK_CYCLES"), CultureInfo.InvariantCulture, out var c) ? c : 300;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 2021; // fixed, so the default run is deterministic
        output.WriteLine($"soak: {cycles} cycles, SOAK_SEED={seed}");
        var random = new Random(seed);

        // No retries (a retry would wait on the fake clock); a break longer than the interval, so circuits stay open
        // across cycles and a feed with no fault switched on may still fail with "circuit open".
        await using var harness = new FaultHarness(captureLogs: false, settings: [("Upstream:MaxRetries", "0"), ("Upstream:BreakDuration", "00:00:45")]);
        await harness.StartAsync();
        Assert.Equal(await harness.ExpectedAsync(), await harness.IncidentsAsync());

        var warmup = Math.Min(50, cycles / 5);
        long memoryAtWarmup = 0;
        var threadsAtWarmup = 0;
        var (clean, partial, total) = (0, 0, 0);
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            var before = await harness.IncidentsAsync();
            var number = harness.Cycle;
            var faulted = new HashSet<string>(StringComparer.Ordinal);
            if (random.NextDouble() >= 0.4)
            {
                foreach (var target in SimulatorFaultBoard.Targets)
                {
                    if (random.NextDouble() < 0.3)
                    {
                        var kinds = target == "identities" ? IdentitiesFaults : FeedFaults;
                        harness.Simulator.Faults.Set(target, new SimulatorFault(kinds[random.Next(kinds.Length)]));
                        faulted.Add(target);
                    }
                }
            }

            await harness.NextCycleAsync();
            harness.Simulator.Faults.Clear();
            Assert.Equal(number + 1, harness.Cycle); // the loop goes on, one cycle per tick

            var status = await harness.StatusAsync();
            var startedAt = status.GetProperty("lastCycle").GetProperty("startedAt").GetDateTimeOffset();
            var failed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var target in SimulatorFaultBoard.Targets)
            {
                var feed = FaultHarness.Feed(status, target);
                Assert.Equal(startedAt, feed.GetProperty("lastAttempt").GetDateTimeOffset());
                if (feed.GetProperty("lastError").GetString() is { } error)
                {
                    failed.Add(target);
                    Assert.True(faulted.Contains(target) || error.StartsWith("circuit open", StringComparison.Ordinal), $"seed {seed}, cycle {cycle}: {target} failed without a fault: {error}");
                }
            }

            Assert.Subset(failed, faulted);
            var served = await harness.IncidentsAsync();
            if (failed.Count == 0)
            {
                clean++;
                Assert.Equal(await harness.ExpectedAsync(), served);
            }
            else if (failed.Count == SimulatorFaultBoard.Targets.Count)
            {
                total++;
                Assert.Equal(before, served);
            }
            else
            {
                partial++;
                var now = FaultHarness.ByFeed(served);
                var then = FaultHarness.ByFeed(before);
                var expected = FaultHarness.ByFeed(await harness.ExpectedAsync());
                foreach (var feed in Feeds)
                {
                    var want = failed.Contains(feed) ? then : expected;
                    Assert.True(want.GetValueOrDefault(feed) == now.GetValueOrDefault(feed), $"seed {seed}, cycle {cycle}: {feed} ({(failed.Contains(feed) ? "failed" : "answered")}) served wrong");
                }
            }

            if (cycle == warmup)
            {
                memoryAtWarmup = GC.GetTotalMemory(forceFullCollection: true);
                threadsAtWarmup = Process.GetCurrentProcess().Threads.Count;
            }
        }

        var memory = GC.GetTotalMemory(forceFullCollection: true);
        var threads = Process.GetCurrentProcess().Threads.Count;
        output.WriteLine($"cycles: {clean} clean, {partial} partly failed, {total} all failed; managed memory {memoryAtWarmup / 1_000_000} MB after warm-up, {memory / 1_000_000} MB at the end; threads {threadsAtWarmup} → {threads}; upstream peak in flight {harness.Simulator.PeakInFlight}");
        Assert.True(clean > 0 && partial > 0, "the mix exercised both clean and faulty cycles");
        // Generous bounds (other tests share the process): a leak of one snapshot a cycle would still cross them.
        Assert.InRange(memory, 0, memoryAtWarmup + (256L * 1024 * 1024));
        Assert.InRange(threads, 0, threadsAtWarmup + 100);
        Assert.InRange(harness.Simulator.PeakInFlight, 1, FaultHarness.MaxConcurrency);
    }
}

/// <summary>Runs alone, after the parallel tests, so the process's memory and threads are the soak's own.</summary>
[CollectionDefinition(nameof(SoakRunsAlone), DisableParallelization = true)]
public sealed class SoakRunsAlone;
