using IncidentService.Simulator.Answering;
using IncidentService.Simulator.Faults;

namespace IncidentService.Simulator.Data;

/// <summary>
/// The answers' bytes. Identities never change, so they are written once; a feed's answer is cached for its current
/// window position (first and last incident), so repeated calls between two incidents cost one window scan.
/// </summary>
internal sealed class SimulatorData
{
    private readonly Workforce _workforce;
    private readonly IncidentTimeline _timeline;
    private readonly byte[] _identities;
    private readonly CachedFeed?[] _feeds = new CachedFeed?[SimulatorTargets.Feeds.Count];

    public SimulatorData(SimulatorOptions options)
    {
        _workforce = new Workforce(options);
        _timeline = new IncidentTimeline(options, _workforce);
        _identities = IdentitiesJsonWriter.Write(_workforce.Pairs, SimulatorFaultKind.None);
    }

    public byte[] Identities(SimulatorFault fault) => fault.Kind switch
    {
        SimulatorFaultKind.IdentitiesEmpty => IdentitiesJsonWriter.Write([], SimulatorFaultKind.None),
        SimulatorFaultKind.IdentitiesShrunk => IdentitiesJsonWriter.Write([.. _workforce.Pairs.Take(Share(_workforce.Pairs.Count, fault.Factor))], SimulatorFaultKind.None),
        SimulatorFaultKind.IdentitiesChurned => IdentitiesJsonWriter.Write(Churned(_workforce.Pairs, Share(_workforce.Pairs.Count, fault.Factor)), SimulatorFaultKind.None),
        SimulatorFaultKind.WrongShapeItems or SimulatorFaultKind.ResultsNotArray => IdentitiesJsonWriter.Write(_workforce.Pairs, fault.Kind),
        _ => _identities,
    };

    public byte[] Feed(int feed, DateTimeOffset now, SimulatorFault fault)
    {
        var layout = FeedLayout.Of(feed);
        var items = _timeline.Window(feed, now);
        switch (fault.Kind)
        {
            case SimulatorFaultKind.IdentitiesEmpty:
                return FeedJsonWriter.Write(layout, [], SimulatorFaultKind.None);
            case SimulatorFaultKind.IdentitiesShrunk:
                return FeedJsonWriter.Write(layout, items[..Share(items.Count, fault.Factor)], SimulatorFaultKind.None);
            case SimulatorFaultKind.ResultsMissing or SimulatorFaultKind.ResultsNotArray or SimulatorFaultKind.ResultsTwice or SimulatorFaultKind.WrongShapeItems
                or SimulatorFaultKind.UnknownPriority or SimulatorFaultKind.TimestampAsString:
                return FeedJsonWriter.Write(layout, items, fault.Kind);
        }

        var first = items.Count > 0 ? items[0].Index : -1;
        var last = items.Count > 0 ? items[^1].Index : -1;
        var cached = Volatile.Read(ref _feeds[feed]);
        if (cached is not null && cached.First == first && cached.Last == last && cached.Count == items.Count)
        {
            return cached.Bytes;
        }

        var bytes = FeedJsonWriter.Write(layout, items, SimulatorFaultKind.None);
        Volatile.Write(ref _feeds[feed], new CachedFeed(first, last, items.Count, bytes));
        return bytes;
    }

    /// <summary>The first <paramref name="moved"/> pairs each with the next pair's employee (the last moved one with the first's).</summary>
    private static KeyValuePair<string, int>[] Churned(IReadOnlyList<KeyValuePair<string, int>> pairs, int moved) =>
        [.. pairs.Select((pair, i) => i < moved ? KeyValuePair.Create(pair.Key, pairs[(i + 1) % moved].Value) : pair)];

    private static int Share(int count, double factor) => (int)Math.Round(count * Math.Clamp(factor, 0, 1));

    private sealed record CachedFeed(long First, long Last, int Count, byte[] Bytes);
}
