using IncidentService.Core;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Cluster;

/// <summary>
/// No Redis: this process is always the poller. With <c>Snapshot:Path</c> it keeps each record in that file (written
/// whole to a temporary file, then renamed over the old one), so a restart serves the last snapshot at once.
/// </summary>
internal sealed partial class SingleProcessCoordination(
    IOptions<SnapshotFileOptions> fileOptions,
    IOptions<ClusterOptions> clusterOptions,
    IReadOnlyList<FeedDefinition> feeds,
    RecordSeal seal,
    ClusterMetrics metrics,
    ILogger<SingleProcessCoordination> logger) : IPollerCoordination
{
    private readonly string? _path = fileOptions.Value.Path;

    public Task<PollerTerm> AwaitTermAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new PollerTerm(0, ReplicaNames.Of(clusterOptions.Value), CancellationToken.None));

    public async Task<PublishOutcome> PublishAsync(PollerTerm term, RefreshRecord record, CancellationToken cancellationToken)
    {
        if (_path is null)
        {
            return PublishOutcome.Published;
        }

        var temporary = _path + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, RefreshRecordCodec.Write(record, seal), cancellationToken);
            File.Move(temporary, _path, overwrite: true);
            return PublishOutcome.Published;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_path, exception.Message);
            return PublishOutcome.Failed;
        }
    }

    public async Task<StoredRecord?> ReadLatestAsync(CancellationToken cancellationToken)
    {
        if (_path is null || !File.Exists(_path))
        {
            return null;
        }

        byte[] blob;
        try
        {
            blob = await File.ReadAllBytesAsync(_path, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogIgnored(_path, exception.Message);
            return null;
        }

        switch (RefreshRecordCodec.Read(blob, feeds, seal))
        {
            case RecordRestored restored:
                return new StoredRecord(restored.Record, Version: null);
            case RecordRejected rejected:
                metrics.Rejected(SnapshotSource.File, rejected.Kind);
                LogIgnored(_path, rejected.Reason);
                return null;
            default:
                return null;
        }
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Snapshot file {Path} ignored: {Reason}; starting without it")]
    private partial void LogIgnored(string path, string reason);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "Snapshot file {Path} not written: {Reason}")]
    private partial void LogWriteFailed(string path, string reason);
}
