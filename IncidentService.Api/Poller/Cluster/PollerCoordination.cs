using System.Collections.Frozen;
using IncidentService.Core.Records;


namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// Who may poll the upstream, and where what the poller builds goes. Alone, this process always polls; in a cluster,
/// only the holder of the lease does, and only while it holds it.
/// </summary>
internal interface IPollerCoordination
{
    /// <summary>Waits until this replica may poll; the term's <see cref="PollerTerm.Lost"/> is cancelled when it may no longer.</summary>
    Task<PollerTerm> AwaitTermAsync(CancellationToken cancellationToken);

    /// <summary>Hands on the record: to Redis under the term's fencing generation, or to the local file.</summary>
    Task<PersistOutcome> PersistAsync(PollerTerm term, RefreshRecord record, CancellationToken cancellationToken);

    /// <summary>The newest stored record (with its publish number in Redis), or null when there is none or it cannot be used.</summary>
    Task<StoredRecord?> ReadLatestAsync(CancellationToken cancellationToken);
}

/// <summary>A period in which this replica is the poller.</summary>
/// <param name="Generation">The fencing generation of the lease (0 alone); every persisted record carries it.</param>
/// <param name="Holder">This replica's name.</param>
/// <param name="Lost">Cancelled when the term ends: the lease was lost or may run out before it can be renewed.</param>
internal sealed record PollerTerm(long Generation, string Holder, CancellationToken Lost);

/// <summary>A record as stored, with its publish number (null for a file).</summary>
internal sealed record StoredRecord(RefreshRecord Record, long? Version);

internal enum PersistOutcome
{
    /// <summary>Stored (or nothing to store).</summary>
    Persisted,

    /// <summary>Refused: another replica holds the lease now. This replica stops polling.</summary>
    Refused,

    /// <summary>Could not be stored (Redis or the file unreachable); the next hand-on tries again.</summary>
    Failed,
}

/// <summary>The public labels of <see cref="PersistOutcome"/> (the <c>outcome</c> tag of incidents.cluster.publishes).</summary>
internal static class PersistOutcomes
{
    private static readonly FrozenDictionary<PersistOutcome, string> Labels = new Dictionary<PersistOutcome, string>
    {
        [PersistOutcome.Persisted] = "published",
        [PersistOutcome.Refused] = "refused",
        [PersistOutcome.Failed] = "failed",
    }.ToFrozenDictionary();

    public static string Label(PersistOutcome outcome) => Labels[outcome];
}
