using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using IncidentService.Core.Ledger;
using IncidentService.Core.Records;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>
/// Hands the ledger and the snapshot on after every cycle, to be persisted (Redis, or the file): followers show the
/// same feed states and take over from them. A refused hand-on ends the term, which cancels the poll.
/// </summary>
internal sealed class RecordHandOn(IPollerCoordination coordination, SnapshotStore store, TimeProvider time)
{
    public async Task HandOnAsync(PollerTerm term, RefreshLedger ledger, CancellationToken cancellationToken)
    {
        var outcome = await coordination.PersistAsync(term, new RefreshRecord(term.Generation, term.Holder, time.GetUtcNow(), ledger, store.Current), cancellationToken);
        if (outcome == PersistOutcome.Refused)
        {
            term.Lost.ThrowIfCancellationRequested();
        }
    }
}
