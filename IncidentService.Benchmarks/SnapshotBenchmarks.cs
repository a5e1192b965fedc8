using BenchmarkDotNet.Attributes;
using IncidentService.Api.Web.Serving;
using IncidentService.Core.Ledger;
using IncidentService.Core.Snapshots;

namespace IncidentService.Benchmarks;

/// <summary>
/// One refresh's CPU work at 2,100 / 100 k / 1 M incidents: parse the upstream answers; attribute, sort and serialize
/// them into the identity bytes (<see cref="Build"/>); both together; and, separately, the compressed representations.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private Workload _workload = null!;
    private SnapshotSources _sources = null!;
    private IncidentSnapshot _snapshot = null!;

    [Params(2_100, 100_000, 1_000_000)]
    public int Incidents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = Workload.Of(Incidents);
        _sources = _workload.Parse();
        _snapshot = Workload.Build(_sources);
        Console.WriteLine($"// {Incidents} incidents: upstream {_workload.UpstreamBytes:N0} B, identity JSON {_snapshot.Json.Length:N0} B, {_snapshot.Counts.Employees:N0} employees");
    }

    [Benchmark]
    public SnapshotSources Parse() => _workload.Parse();

    [Benchmark]
    public IncidentSnapshot Build() => Workload.Build(_sources);

    [Benchmark]
    public IncidentSnapshot ParseAndBuild() => Workload.Build(_workload.Parse());

    [Benchmark]
    public ServedSnapshot Compress() => ServedSnapshot.From(_snapshot, SnapshotCompression.Default);
}
