using IncidentService.Core.Ledger;
using IncidentService.Core.Snapshots;

namespace IncidentService.Core.Records;

/// <summary>
/// What a poller hands on: the refresh ledger (so another replica, or a later run, continues the rules where they
/// stood) and the snapshot it serves (so every replica serves the same bytes under the same tags without rebuilding).
/// </summary>
/// <param name="Generation">The fencing generation of the lease the poller held when it wrote this; 0 for a single process.</param>
/// <param name="Holder">Which replica wrote it.</param>
/// <param name="PublishedAt">When it was written.</param>
/// <param name="Ledger">The refresh rules' state.</param>
/// <param name="Snapshot">What is served; null while the ledger still holds the first snapshot back.</param>
public sealed record RefreshRecord(long Generation, string Holder, DateTimeOffset PublishedAt, RefreshLedger Ledger, IncidentSnapshot? Snapshot);

/// <summary>The result of reading a stored record: the record, or why it cannot be used.</summary>
public abstract record RecordRead;

public sealed record RecordRestored(RefreshRecord Record) : RecordRead;

/// <summary>Not a record of this service and configuration (corrupt, foreign, forged, another format or other feeds); say why, use nothing.</summary>
public sealed record RecordRejected(RecordRejection Kind, string Reason) : RecordRead;
