using System.Diagnostics.Metrics;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using IncidentService.Core.Records;
using IncidentService.Tests.Core;
using IncidentService.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace IncidentService.Tests.Cluster;

/// <summary><c>Snapshot:Path</c> holds every employee's incidents: written private and never through a link, read only when it is a record-sized regular file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SnapshotFileSafetyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("incident-snapshot-").FullName;
    private readonly FakeLogger<SingleProcessCoordination> _log = new();

    private string FilePath => Path.Combine(_directory, "snapshot.bin");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_file_is_written_readable_by_its_owner_only_and_no_temporary_file_is_left()
    {
        Assert.Equal(PersistOutcome.Persisted, await Coordination().PersistAsync(Term, RecordSealTests.Record(), CancellationToken.None));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal([FilePath], Directory.GetFiles(_directory));
        Assert.IsType<StoredRecord>(await Coordination().ReadLatestAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_link_planted_at_a_temporary_name_is_never_followed_and_the_path_stays_a_regular_file()
    {
        var victim = Path.Combine(_directory, "victim.txt");
        await File.WriteAllTextAsync(victim, "someone else's file");
        File.CreateSymbolicLink(FilePath + ".tmp", victim);

        Assert.Equal(PersistOutcome.Persisted, await Coordination().PersistAsync(Term, RecordSealTests.Record(), CancellationToken.None));

        Assert.Equal("someone else's file", await File.ReadAllTextAsync(victim));
        Assert.Null(new FileInfo(FilePath).LinkTarget);
    }

    [Fact]
    public async Task A_link_at_the_path_is_replaced_by_the_file_not_written_through()
    {
        var victim = Path.Combine(_directory, "victim.txt");
        await File.WriteAllTextAsync(victim, "someone else's file");
        File.CreateSymbolicLink(FilePath, victim);

        Assert.Equal(PersistOutcome.Persisted, await Coordination().PersistAsync(Term, RecordSealTests.Record(), CancellationToken.None));

        Assert.Equal("someone else's file", await File.ReadAllTextAsync(victim));
        Assert.Null(new FileInfo(FilePath).LinkTarget);
    }

    [Fact]
    public async Task A_link_to_dev_zero_is_refused_without_reading_it()
    {
        File.CreateSymbolicLink(FilePath, "/dev/zero");

        Assert.Null(await Coordination().ReadLatestAsync(CancellationToken.None));

        Assert.Contains("a link to /dev/zero, not a regular file", Assert.Single(_log.Collector.GetSnapshot(), l => l.Id.Id == 320).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_larger_than_any_record_is_refused_without_reading_it()
    {
        var coordination = Coordination();
        await using (var sparse = new FileStream(FilePath, FileMode.CreateNew))
        {
            await sparse.WriteAsync(RefreshRecordCodec.Write(RecordSealTests.Record(), RecordSeal.Checksum));
            sparse.SetLength(coordination.MaxFileBytes + 1); // sparse: no disk, and no memory unless read
        }

        Assert.Null(await coordination.ReadLatestAsync(CancellationToken.None));

        Assert.Contains($"more than any record ({coordination.MaxFileBytes})", Assert.Single(_log.Collector.GetSnapshot(), l => l.Id.Id == 320).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_another_format_is_refused_on_its_first_line()
    {
        await File.WriteAllBytesAsync(FilePath, "incident-service refresh-record 1\n...."u8.ToArray());

        Assert.Null(await Coordination().ReadLatestAsync(CancellationToken.None));

        Assert.Contains("not a refresh record of this format", Assert.Single(_log.Collector.GetSnapshot(), l => l.Id.Id == 320).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_cap_is_twice_every_answer_at_its_largest()
    {
        Assert.Equal(2 * 1024 * (RefreshRecordCodecTests.Feeds.Length + 1), Coordination(maxResponseBytes: 1024).MaxFileBytes);
    }

    private static PollerTerm Term => new(0, "single", CancellationToken.None);

    private SingleProcessCoordination Coordination(long maxResponseBytes = 1024 * 1024)
    {
        var board = new ClusterBoard(ClusterRole.Alone);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new SingleProcessCoordination(
            Options.Create(new SnapshotFileOptions { Path = FilePath }),
            Options.Create(new ClusterOptions()),
            Options.Create(new UpstreamOptions { MaxResponseBytes = maxResponseBytes }),
            RefreshRecordCodecTests.Feeds,
            RecordSeal.Checksum,
            new ClusterMetrics(meters, board),
            _log);
    }
}
