using System.Runtime.CompilerServices;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Telemetry;
using IncidentService.Core;
using IncidentService.Core.Querying;
using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Web.Queries;

/// <summary>
/// What is derived from a snapshot's body for dashboards — its index, the unfiltered summary, the counts per
/// priority — computed once per body and dropped with it. Keyed on the body, so a snapshot re-published with the same
/// bytes (or loaded from elsewhere) needs nothing of its own.
/// </summary>
public sealed class SnapshotViews(IReadOnlyList<FeedDefinition> feeds) : ISnapshotListener, IPriorityCounts
{
    private readonly ConditionalWeakTable<byte[], View> _views = [];

    /// <summary>The configured feeds: the values <c>type=</c> takes, and the feeds every summary lists.</summary>
    public IReadOnlyCollection<string> Feeds { get; } = [.. feeds.Select(f => f.Name)];

    /// <summary>The filter a query asks for; a request without a query (nearly all) allocates nothing here.</summary>
    public IncidentQueryResult Parse(IQueryCollection query) =>
        query.Count == 0 ? Unfiltered : IncidentQuery.Parse(query.Select(p => KeyValuePair.Create<string, IReadOnlyList<string?>>(p.Key, p.Value.ToArray())), Feeds);

    private static readonly ValidQuery Unfiltered = new(IncidentFilter.Everything);

    public IncidentIndex IndexOf(IncidentSnapshot snapshot) => ViewOf(snapshot).Index;

    /// <summary>Builds the index, the unfiltered summary and the counts now (the store calls it as a snapshot comes in), so no request or scrape pays for them.</summary>
    public void Prepare(IncidentSnapshot snapshot)
    {
        var view = ViewOf(snapshot);
        _ = view.Summary;
        _ = view.PriorityCounts;
    }

    void ISnapshotListener.Preparing(IncidentSnapshot? previous, IncidentSnapshot next) => Prepare(next);

    /// <summary>Whether <see cref="Prepare"/> (or a request) has built the views of this body already.</summary>
    internal bool IsPrepared(IncidentSnapshot snapshot) => _views.TryGetValue(snapshot.Json, out var view) && view.IsBuilt;

    /// <summary>Incidents per priority, in <see cref="Priorities.All"/> order.</summary>
    public IReadOnlyList<int> PriorityCounts(IncidentSnapshot snapshot) => ViewOf(snapshot).PriorityCounts;

    public byte[] Incidents(IncidentSnapshot snapshot, IncidentFilter filter) =>
        filter.IsEverything ? snapshot.Json : ViewOf(snapshot).Index.Write(filter);

    public byte[] Summary(IncidentSnapshot snapshot, IncidentFilter filter) =>
        filter.IsEverything ? ViewOf(snapshot).Summary : IncidentSummary.Write(ViewOf(snapshot).Index, filter, Feeds);

    private View ViewOf(IncidentSnapshot snapshot) => _views.GetValue(snapshot.Json, _ => new View(snapshot.Index, Feeds));

    private sealed class View
    {
        private readonly Lazy<byte[]> _summary;
        private readonly Lazy<int[]> _priorityCounts;

        public View(IncidentIndex index, IReadOnlyCollection<string> feeds)
        {
            Index = index;
            _summary = new(() => IncidentSummary.Write(Index, IncidentFilter.Everything, feeds));
            _priorityCounts = new(CountPriorities);
        }

        public IncidentIndex Index { get; }

        public byte[] Summary => _summary.Value;

        public IReadOnlyList<int> PriorityCounts => _priorityCounts.Value;

        public bool IsBuilt => _summary.IsValueCreated && _priorityCounts.IsValueCreated;

        private int[] CountPriorities()
        {
            var counts = new int[Priorities.All.Count];
            foreach (var incident in Index.Incidents)
            {
                counts[(int)incident.Priority]++;
            }

            return counts;
        }
    }
}
