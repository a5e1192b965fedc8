using System.Net;
using System.Text.Json;
using IncidentService.Core;
using IncidentService.Core.Records;
using IncidentService.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IncidentService.Tests.Cluster;

/// <summary>A single process with <c>Snapshot:Path</c>: a restart serves the last snapshot at once, whatever the upstream does.</summary>
public sealed class SnapshotFileTests : IDisposable
{
    private static readonly string[] Targets = ["identities", "denial", "intrusion", "executable", "misuse", "unauthorized", "probing", "other"];
    private readonly string _directory = Directory.CreateTempSubdirectory("incident-snapshot-").FullName;

    private string FilePath => Path.Combine(_directory, "snapshot.bin");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_restart_with_the_upstream_down_serves_the_last_snapshot_at_once_and_says_where_it_came_from()
    {
        byte[] before;
        string? tag;
        await using (var first = new IncidentServiceFactory(frozenTime: true, ("Snapshot:Path", FilePath)))
        {
            using var client = await first.CreateReadyClientAsync();
            using var answer = await client.GetAsync("/incidents");
            (before, tag) = (await answer.Content.ReadAsByteArrayAsync(), answer.Headers.ETag?.Tag);
            Assert.Equal("upstream", (await Cluster(client)).GetProperty("source").GetString());
            await Wait.UntilAsync(() => File.Exists(FilePath)); // handed on right after the snapshot is served
        }

        await using var again = new IncidentServiceFactory(frozenTime: true, [("Snapshot:Path", FilePath), .. Targets.Select(t => ($"Simulator:Faults:{t}", "ServerError"))]);
        using var restarted = again.CreateClient();
        using var served = await restarted.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(tag, served.Headers.ETag?.Tag);
        Assert.Equal(before, await served.Content.ReadAsByteArrayAsync());
        var cluster = await Cluster(restarted);
        Assert.Equal("single", cluster.GetProperty("role").GetString());
        Assert.Equal("file", cluster.GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("corrupt")]
    [InlineData("foreign")]
    public async Task A_damaged_or_foreign_file_is_ignored_with_a_warning_and_replaced_by_the_next_snapshot(string kind)
    {
        await File.WriteAllBytesAsync(FilePath, kind == "foreign" ? "{\"not\": \"ours\"}"u8.ToArray() : Damaged(await ValidRecordAsync()));
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Snapshot:Path", FilePath));
        await using var logged = factory.WithWebHostBuilder(builder =>
            builder.ConfigureLogging(logging => logging.AddFakeLogging().AddFilter<FakeLoggerProvider>(null, LogLevel.Trace)));
        using var client = logged.CreateClient();
        await Wait.UntilAsync(async () => (await client.GetAsync("/incidents")).StatusCode == HttpStatusCode.OK);

        var warning = Assert.Single(logged.Services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 320);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(kind == "foreign" ? "not a refresh record of this format" : "checksum mismatch", warning.Message, StringComparison.Ordinal);
        Assert.Equal("upstream", (await Cluster(client)).GetProperty("source").GetString());
        // The next hand-on (right after the snapshot is served) replaces the file with a good record.
        await Wait.UntilAsync(async () => RefreshRecordCodec.Read(await File.ReadAllBytesAsync(FilePath), FeedDefinition.Defaults, RecordSeal.Checksum) is RecordRestored);
    }

    private async Task<byte[]> ValidRecordAsync()
    {
        await using (var writer = new IncidentServiceFactory(frozenTime: true, ("Snapshot:Path", FilePath)))
        {
            await writer.WaitForSnapshotAsync();
            await Wait.UntilAsync(() => File.Exists(FilePath));
        }

        return await File.ReadAllBytesAsync(FilePath);
    }

    private static byte[] Damaged(byte[] record) => record[..(record.Length * 2 / 3)]; // a write cut short

    private static async Task<JsonElement> Cluster(HttpClient client)
    {
        using var status = JsonDocument.Parse(await client.GetStringAsync("/status"));
        return status.RootElement.GetProperty("cluster").Clone();
    }
}
