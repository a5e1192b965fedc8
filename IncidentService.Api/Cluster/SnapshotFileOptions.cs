namespace IncidentService.Api.Cluster;

/// <summary>The <c>Snapshot</c> section: where a single process keeps its last snapshot across restarts.</summary>
public sealed class SnapshotFileOptions
{
    public const string SectionName = "Snapshot";

    /// <summary>A file for the last snapshot and refresh ledger, read at start; unset, nothing is kept. Not used with Redis.</summary>
    public string? Path { get; set; }
}
