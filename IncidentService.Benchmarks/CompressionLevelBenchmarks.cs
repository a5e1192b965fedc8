using BenchmarkDotNet.Attributes;
using IncidentService.Api.Web.Serving;

namespace IncidentService.Benchmarks;

/// <summary>
/// gzip and Brotli levels on today's whole <c>/incidents</c> document (2,100 incidents): time against size, to choose
/// the levels of <see cref="SnapshotCompression.Default"/>. Each level's size is printed at setup.
/// </summary>
[MemoryDiagnoser]
public class CompressionLevelBenchmarks
{
    private byte[] _json = null!;

    [Params("gzip 1", "gzip 4", "gzip 6", "gzip 9", "br 1", "br 4", "br 5", "br 6", "br 9", "br 11")]
    public string Level { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _json = Workload.Build(Workload.Of(2_100).Parse()).Json;
        Console.WriteLine($"// identity {_json.Length:N0} B; {Level}: {Compress().Length:N0} B");
    }

    [Benchmark]
    public byte[] Compress()
    {
        var parts = Level.Split(' ');
        var level = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return parts[0] == "gzip"
            ? new SnapshotCompression(level, 0, 0).Gzip(_json)
            : new SnapshotCompression(0, level, 0).Brotli(_json);
    }
}
