namespace IncidentService.Core;

/// <summary>
/// Whether two <see cref="SnapshotSources"/> would build the same snapshot: the same feeds with the same incidents
/// and skipped counts, the same identities, the same missing feeds. When they would, a rebuild is waste; comparing
/// is far cheaper than serializing and compressing (a target that failed keeps its very answer, compared by
/// reference). When they are data received at another time is all that differs (<see cref="SnapshotSources.DataAsOf"/>).
/// </summary>
public static class SnapshotInputs
{
    public static bool Same(SnapshotSources a, SnapshotSources b) =>
        a.MissingFeeds.SequenceEqual(b.MissingFeeds, StringComparer.Ordinal)
        && a.Feeds.Count == b.Feeds.Count
        && a.Feeds.Zip(b.Feeds).All(pair => SameBatch(pair.First, pair.Second))
        && SameIdentities(a.Identities, b.Identities);

    private static bool SameBatch(FeedBatch a, FeedBatch b) =>
        ReferenceEquals(a, b)
        || (a.Feed == b.Feed
            && a.MalformedCount == b.MalformedCount
            && a.Incidents.Length == b.Incidents.Length
            && a.Incidents.AsSpan().SequenceEqual(b.Incidents.AsSpan(), IncidentComparer.Instance));

    private static bool SameIdentities(IdentityDirectory a, IdentityDirectory b) =>
        ReferenceEquals(a, b)
        || (a.Count == b.Count && a.Entries.All(entry => b.TryResolve(entry.Key, out var employee) && employee == entry.Value));

    /// <summary>Everything the builder reads of an incident; its fields by value, in order.</summary>
    private sealed class IncidentComparer : IEqualityComparer<Incident>
    {
        public static readonly IncidentComparer Instance = new();

        public bool Equals(Incident? x, Incident? y) =>
            ReferenceEquals(x, y)
            || (x is not null && y is not null
                && x.Timestamp == y.Timestamp
                && x.Priority == y.Priority
                && x.Identity == y.Identity
                && x.Feed == y.Feed
                && x.Fields.AsSpan().SequenceEqual(y.Fields.AsSpan()));

        public int GetHashCode(Incident obj) => obj.Timestamp.GetHashCode();
    }
}
