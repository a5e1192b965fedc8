using System.Security.Cryptography;
using IncidentService.Api.Snapshots;
using IncidentService.Core;
using IncidentService.Core.Records;
using IncidentService.Upstream;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// No Redis: this process is always the poller. With <c>Snapshot:Path</c> it keeps each record in that file, so a
/// restart serves the last snapshot at once. The file holds every employee's incidents: it is written readable by this
/// user only, through a temporary file of a random name created exclusively beside it (a link planted under any name
/// is never followed), then renamed over it; it is read only when it is a regular file no larger than any record can
/// be, and its format line is checked before the rest is read.
/// </summary>
internal sealed class SingleProcessCoordination(
    IOptions<SnapshotFileOptions> fileOptions,
    IOptions<ClusterOptions> clusterOptions,
    IOptions<UpstreamOptions> upstreamOptions,
    IReadOnlyList<FeedDefinition> feeds,
    RecordSeal seal,
    ClusterMetrics metrics,
    ILogger<SingleProcessCoordination> logger) : IPollerCoordination
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string? _path = fileOptions.Value.Path is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>Twice every answer at its largest (the ledger keeps each target's answer, the snapshot serves it again).</summary>
    public long MaxFileBytes { get; } = 2 * upstreamOptions.Value.MaxResponseBytes * (feeds.Count + 1);

    public Task<PollerTerm> AwaitTermAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new PollerTerm(0, ReplicaNames.Of(clusterOptions.Value), CancellationToken.None));

    public async Task<PersistOutcome> PersistAsync(PollerTerm term, RefreshRecord record, CancellationToken cancellationToken)
    {
        if (_path is null)
        {
            return PersistOutcome.Persisted;
        }

        var temporary = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(RefreshRecordCodec.Write(record, seal), cancellationToken);
            }

            File.Move(temporary, _path, overwrite: true);
            return PersistOutcome.Persisted;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.WriteFailed(_path, exception.Message);
            TryDelete(temporary);
            return PersistOutcome.Failed;
        }
    }

    public async Task<StoredRecord?> ReadLatestAsync(CancellationToken cancellationToken)
    {
        if (_path is null || !File.Exists(_path))
        {
            return null;
        }

        RecordRead read;
        try
        {
            read = await ReadFileAsync(_path, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.Ignored(_path, exception.Message);
            return null;
        }

        switch (read)
        {
            case RecordRestored restored:
                return new StoredRecord(restored.Record, Version: null);
            case RecordRejected rejected:
                metrics.Rejected(SnapshotSource.File, rejected.Kind);
                logger.Ignored(_path, rejected.Reason);
                return null;
            default:
                return null;
        }
    }

    private async Task<RecordRead> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (new FileInfo(path).LinkTarget is { } target)
        {
            return new RecordRejected(RecordRejection.NotAFile, $"a link to {target}, not a regular file");
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        // A pipe has no length to check. A device that seeks reports no size, so nothing of it is read below: what is read
        // is never more than the size checked against the cap.
        if (!stream.CanSeek)
        {
            return new RecordRejected(RecordRejection.NotAFile, "not a regular file");
        }

        if (stream.Length > MaxFileBytes)
        {
            return new RecordRejected(RecordRejection.NotAFile, $"{stream.Length} bytes, more than any record ({MaxFileBytes})");
        }

        var blob = new byte[stream.Length];
        var header = await stream.ReadAtLeastAsync(blob.AsMemory(0, Math.Min(blob.Length, RefreshRecordCodec.HeaderLength)), Math.Min(blob.Length, RefreshRecordCodec.HeaderLength), throwOnEndOfStream: false, cancellationToken);
        if (!RefreshRecordCodec.HasHeader(blob.AsSpan(0, header)))
        {
            return new RecordRejected(RecordRejection.Foreign, "not a refresh record of this format");
        }

        var length = header + await stream.ReadAtLeastAsync(blob.AsMemory(header), blob.Length - header, throwOnEndOfStream: false, cancellationToken);
        return RefreshRecordCodec.Read(blob.AsMemory(0, length), feeds, seal);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Not ours to worry about further: a later write uses another name.
        }
    }
}
