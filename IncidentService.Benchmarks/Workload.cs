using System.Collections.Immutable;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;
using IncidentService.Simulator;
using IncidentService.Simulator.Answering;
using IncidentService.Simulator.Data;
using IncidentService.Simulator.Faults;

namespace IncidentService.Benchmarks;

/// <summary>
/// The upstream's answers for a given number of incidents, as the simulator writes them (the real shapes, malformed
/// items and ties included): 2,100 is today's volume (1,500 employees), larger volumes spread over 50,000 employees.
/// </summary>
internal sealed class Workload
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private Workload(IReadOnlyList<(FeedDefinition Feed, byte[] Body)> feeds, byte[] identities)
    {
        Feeds = feeds;
        Identities = identities;
        UpstreamBytes = feeds.Sum(f => (long)f.Body.Length) + identities.Length;
    }

    public IReadOnlyList<(FeedDefinition Feed, byte[] Body)> Feeds { get; }

    public byte[] Identities { get; }

    public long UpstreamBytes { get; }

    public static Workload Of(int incidents)
    {
        var employees = incidents <= 2_100 ? 1_500 : 50_000;
        var options = new SimulatorOptions
        {
            IncidentsPerFeed = incidents / SimulatorTargets.Feeds.Count,
            Employees = employees,
            Identities = employees * 10 / 3,
        };
        var data = new SimulatorData(options);
        var feeds = SimulatorTargets.Feeds
            .Select((name, index) => (FeedDefinition.Defaults.Single(f => f.Name == name), data.Feed(index, Now, SimulatorFault.None)))
            .ToList();
        return new Workload(feeds, data.Identities(SimulatorFault.None));
    }

    /// <summary>What the refresher does with the answers before building: parse every feed and the identities.</summary>
    public SnapshotSources Parse() => new(
        [.. Feeds.Select(f => FeedBatch.Parse(f.Feed, f.Body))],
        IdentityDirectory.Parse(Identities),
        Now,
        ImmutableArray<string>.Empty);

    public static IncidentSnapshot Build(SnapshotSources sources) => SnapshotBuilder.Build(sources, Now);
}
