using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;


namespace IncidentService.Tests.Core;

/// <summary>A complete snapshot of these answers, all received <c>now</c>: what most builder tests need.</summary>
internal static class CompleteSnapshot
{
    public static IncidentSnapshot Of(IReadOnlyList<FeedBatch> batches, IdentityDirectory identities, DateTimeOffset now) =>
        SnapshotBuilder.Build(new SnapshotSources(batches, identities, now, []), now);
}
