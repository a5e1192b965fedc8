using System.IO.Compression;

namespace IncidentService.Api.Web.Serving;

/// <summary>
/// How a snapshot's answers are compressed, once per snapshot, off the request path. The levels and the size below
/// which an answer stays identity only were chosen by measurement (docs/perf.md): build time against size.
/// </summary>
public sealed record SnapshotCompression(int GzipLevel, int BrotliQuality, int MinBytes)
{
    /// <summary>gzip 6 and Brotli 5; answers under 1 KiB stay identity only (docs/perf.md).</summary>
    public static SnapshotCompression Default { get; } = new(GzipLevel: 6, BrotliQuality: 5, MinBytes: 1024);

    public byte[] Gzip(ReadOnlySpan<byte> identity)
    {
        using var output = new MemoryStream(identity.Length / 4 + 64);
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = GzipLevel }, leaveOpen: true))
        {
            gzip.Write(identity);
        }

        return output.ToArray();
    }

    public byte[] Brotli(ReadOnlySpan<byte> identity)
    {
        using var output = new MemoryStream(identity.Length / 4 + 64);
        using (var brotli = new BrotliStream(output, new BrotliCompressionOptions { Quality = BrotliQuality }, leaveOpen: true))
        {
            brotli.Write(identity);
        }

        return output.ToArray();
    }
}
