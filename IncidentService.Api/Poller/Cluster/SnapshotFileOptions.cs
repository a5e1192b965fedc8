namespace IncidentService.Api.Poller.Cluster;

/// <summary>The <c>Snapshot</c> section: where a single process keeps its last snapshot, and how every stored record is signed.</summary>
public sealed class SnapshotFileOptions
{
    public const string SectionName = "Snapshot";

    /// <summary>A file for the last snapshot and refresh ledger, read at start; unset, nothing is kept. Not used with Redis.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Base64 of at least 32 random bytes, the same on every replica of a cluster: every stored record (Redis, or
    /// <see cref="Path"/>) carries an HMAC-SHA256 under it, and a record that does not verify is never served. Required
    /// with <c>Redis:Configuration</c> outside Development; unset, a record carries only a checksum.
    /// </summary>
    public string? SigningKey { get; set; }
}
