using System.Diagnostics;
using System.Globalization;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Web.Serving;
using IncidentService.Core.Ledger;
using IncidentService.Core.Snapshots;

namespace IncidentService.Benchmarks;

/// <summary>
/// What BenchmarkDotNet does not measure: the peak of managed memory while a snapshot is built (against its JSON size),
/// whether memory is returned when a large snapshot is replaced by a small one, and what compressing one employee's
/// answer gains by its size. One pass, printed as Markdown tables.
/// </summary>
internal static class Probe
{
    public static void Run()
    {
        Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| incidents | JSON bytes | upstream bytes | parse s | build s | compress s | parsed answers | parsed + snapshot | peak parse + build | / JSON | peak build alone | / JSON |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var large = new IncidentSnapshot?[1];
        foreach (var incidents in new[] { 2_100, 100_000, 1_000_000 })
        {
            large[0] = Measure(incidents);
        }

        Slices(large[0]!);
        Shrink(large);
    }

    /// <summary>
    /// Times parse and build, and measures managed memory two ways, both sampled every millisecond and counting garbage
    /// not yet collected: (1) the peak while parsing and building together, above the heap that already holds the
    /// received answers (everything the refresh creates counts, the parsed answers included); (2) the peak while
    /// building alone, above the heap that holds the parsed answers (the figure this probe reported before).
    /// </summary>
    private static IncidentSnapshot Measure(int incidents)
    {
        var workload = Workload.Of(incidents);
        var received = Settle();
        IncidentSnapshot snapshot;
        TimeSpan parse, build;
        long peak;
        SnapshotSources sources;
        using (var sampler = new PeakSampler())
        {
            var clock = Stopwatch.StartNew();
            sources = workload.Parse();
            parse = clock.Elapsed;
            snapshot = Workload.Build(sources);
            build = clock.Elapsed - parse;
            peak = sampler.Stop() - received;
        }

        var json = snapshot.Json.Length;
        var withSnapshot = Settle() - received;
        snapshot = null!;
        var parsed = Settle();
        long buildPeak;
        using (var sampler = new PeakSampler())
        {
            snapshot = Workload.Build(sources);
            buildPeak = sampler.Stop() - parsed;
        }

        var compressClock = Stopwatch.StartNew();
        var served = ServedSnapshot.From(snapshot, SnapshotCompression.Default);
        var compress = compressClock.Elapsed;
        GC.KeepAlive(served);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {incidents:N0} | {json:N0} | {workload.UpstreamBytes:N0} | {parse.TotalSeconds:0.000} | {build.TotalSeconds:0.000} | {compress.TotalSeconds:0.000} | {Mb(parsed - received)} | {Mb(withSnapshot)} | {Mb(peak)} | {(double)peak / json:0.00}× | {Mb(buildPeak)} | {(double)buildPeak / json:0.00}× |"));
        return snapshot;
    }

    /// <summary>One employee's answer by size: what gzip and Brotli at the default levels make of it, and what that costs.</summary>
    private static void Slices(IncidentSnapshot snapshot)
    {
        Console.WriteLine();
        Console.WriteLine($"Answers of one employee ({snapshot.Employees.Count:N0} employees, {snapshot.Counts.Incidents:N0} incidents):");
        Console.WriteLine();
        Console.WriteLine("| identity size | answers | mean identity B | mean gzip B | mean br B | µs per answer (both) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var compression = SnapshotCompression.Default;
        int[] bounds = [256, 512, 1024, 2048, 4096, 8192, int.MaxValue];
        var lower = 0;
        foreach (var upper in bounds)
        {
            var slices = snapshot.Employees.Values
                .Select(range => snapshot.Json.AsMemory()[range])
                .Where(slice => slice.Length >= lower && slice.Length < upper)
                .Take(2_000)
                .ToList();
            if (slices.Count > 0)
            {
                var clock = Stopwatch.StartNew();
                var sizes = slices.Select(s => (Identity: s.Length, Gzip: compression.Gzip(s.Span).Length, Brotli: compression.Brotli(s.Span).Length)).ToList();
                var micros = clock.Elapsed.TotalMicroseconds / slices.Count;
                var label = upper == int.MaxValue ? $"≥ {lower:N0}" : $"{lower:N0}–{upper - 1:N0}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {snapshot.Employees.Values.Count(r => Length(r) >= lower && Length(r) < upper):N0} | {sizes.Average(s => s.Identity):N0} | {sizes.Average(s => s.Gzip):N0} | {sizes.Average(s => s.Brotli):N0} | {micros:0} |"));
            }

            lower = upper;
        }

        int Length(Range range) => range.GetOffsetAndLength(snapshot.Json.Length).Length;
    }

    /// <summary>A store serving the 1 M snapshot, then today's: is the memory of the large one given back?</summary>
    private static void Shrink(IncidentSnapshot?[] large)
    {
        var store = new SnapshotStore([new ServedSnapshots(TimeProvider.System)]);
        store.Install(large[0]!);
        large[0] = null; // the store holds the only reference, as in the service
        var small = Workload.Build(Workload.Of(2_100).Parse());
        Settle();
        var (managedLarge, rssLarge) = (GC.GetTotalMemory(false), Rss());
        store.Install(small);
        // What the refresher leaves behind: no explicit collection here; the store decides whether to give memory back.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var (managedSmall, rssSmall) = (GC.GetTotalMemory(false), Rss());
        Console.WriteLine();
        Console.WriteLine("| serving | managed heap | process RSS |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| 1,000,000 incidents | {Mb(managedLarge)} | {Mb(rssLarge)} |");
        Console.WriteLine($"| then 2,100 incidents (2 s later) | {Mb(managedSmall)} | {Mb(rssSmall)} |");
        GC.KeepAlive(store);
    }

    private static long Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(true);
    }

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MB");

    /// <summary>Samples the managed heap every millisecond on its own thread; the highest reading is the peak.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public PeakSampler()
        {
            _peak = GC.GetTotalMemory(false);
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    _peak = Math.Max(_peak, GC.GetTotalMemory(false));
                    Thread.Sleep(1);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Math.Max(_peak, GC.GetTotalMemory(false));
        }

        public void Dispose() => Stop();
    }
}
