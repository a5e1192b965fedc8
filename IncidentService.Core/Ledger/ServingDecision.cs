using System.Collections.Immutable;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;

namespace IncidentService.Core.Ledger;

/// <summary>What the ledger allows to be served now: a snapshot of these sources, or nothing yet and why.</summary>
public abstract record ServingDecision;

/// <summary>Nothing may be served yet: a snapshot now would look complete or empty when it is neither.</summary>
public sealed record HoldSnapshot(string Reason) : ServingDecision;

public sealed record ServeSnapshot(SnapshotSources Sources) : ServingDecision;

/// <summary>Everything a snapshot is built from, and what it honestly is.</summary>
/// <param name="Feeds">The last good answer of every feed that ever answered.</param>
/// <param name="Identities">The identities to attribute IPs with.</param>
/// <param name="DataAsOf">When the oldest of these answers was received: the snapshot's data is no younger than this.</param>
/// <param name="MissingFeeds">Feeds that never answered: the snapshot lacks their incidents.</param>
public sealed record SnapshotSources(
    IReadOnlyList<FeedBatch> Feeds,
    IdentityDirectory Identities,
    DateTimeOffset DataAsOf,
    ImmutableArray<string> MissingFeeds);
