using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;

namespace IncidentService.Core.Snapshots;

/// <summary>
/// Whether two <see cref="SnapshotSources"/> would build the same snapshot: the same feeds with the same incidents
/// and skipped counts, the same identities, the same missing feeds. When they would, a rebuild is waste; comparing
/// is far cheaper than serializing and compressing (a target that failed keeps its very answer, compared by
/// reference). Their data may have been received at another time (<see cref="SnapshotSources.DataAsOf"/>).
/// </summary>
public static class SnapshotInputs
{
    public static bool Same(SnapshotSources a, SnapshotSources b) =>
        a.MissingFeeds.SequenceEqual(b.MissingFeeds, StringComparer.Ordinal)
        && a.Feeds.Count == b.Feeds.Count
        && a.Feeds.Zip(b.Feeds).All(pair => SameBatch(pair.First, pair.Second))
        && SameIdentities(a.Identities, b.Identities);

    private static bool SameBatch(FeedBatch a, FeedBatch b) =>
        ReferenceEquals(a, b) || (a.Feed == b.Feed && a.MalformedCount == b.MalformedCount && SameIncidents(a.Incidents, b.Incidents));

    /// <summary>
    /// Field by field, in order: their served form (<see cref="Incident.Json"/>) and the priority as received
    /// (<see cref="Incident.PriorityAsReceived"/>) are equal exactly when the names and values as received are. Everything else of an incident (priority, time, identity) is read from its fields
    /// with the feed's fixed definition, so equal fields in the same feed make an equal incident.
    /// </summary>
    private static bool SameIncidents(FeedIncidents a, FeedIncidents b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!a.Json(i).Span.SequenceEqual(b.Json(i).Span) || !a.PriorityAsReceived(i).AsSpan().SequenceEqual(b.PriorityAsReceived(i)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameIdentities(IdentityDirectory a, IdentityDirectory b) =>
        ReferenceEquals(a, b)
        || a.HasSameEntries(b);
}
