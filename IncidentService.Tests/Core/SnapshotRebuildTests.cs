using System.Collections.Immutable;
using System.Text;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

/// <summary>A cycle whose inputs did not change keeps the snapshot it has: no serialization, same bytes, same tag.</summary>
public sealed class SnapshotRebuildTests
{
    private static readonly DateTimeOffset Then = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Then.AddSeconds(30);
    private static readonly FeedDefinition Probing = new("probing", "ip");
    private static readonly FeedDefinition Misuse = new("misuse", "employee_id");

    private const string ProbingItems = """{"priority":"high","ip":"10.0.0.1","timestamp":10.5},{"priority":"low","ip":"10.0.0.9","timestamp":11}""";
    private const string MisuseItems = """{"priority":"medium","employee_id":8,"timestamp":1.4}""";

    [Fact]
    public void The_same_answers_parsed_again_keep_the_previous_snapshot_object()
    {
        var previous = SnapshotBuilder.Build(Sources(Then), Then);

        var build = SnapshotBuilder.Rebuild(Sources(Then), Now, previous);

        Assert.True(build.Kept);
        Assert.Same(previous, build.Snapshot);
    }

    [Fact]
    public void The_same_data_received_later_keeps_the_bytes_and_moves_only_the_data_time()
    {
        var previous = SnapshotBuilder.Build(Sources(Then), Then);

        var build = SnapshotBuilder.Rebuild(Sources(Now), Now, previous);

        Assert.True(build.Kept);
        Assert.Same(previous.Json, build.Snapshot.Json);
        Assert.Same(previous.UnresolvedJson, build.Snapshot.UnresolvedJson);
        Assert.Equal(previous.ETag, build.Snapshot.ETag);
        Assert.Equal(previous.CreatedAt, build.Snapshot.CreatedAt);
        Assert.Equal(Now, build.Snapshot.DataAsOf);
    }

    public static TheoryData<string> Changes() =>
    [
        "an incident's field", "an incident's priority", "an incident's time", "one incident more", "a feed's skipped items",
        "an identity", "one identity more", "a feed missing", "a feed answered for the first time",
        "the same items from another feed", "one incident fewer", "the same identities but one",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_change_of_input_rebuilds(string change)
    {
        var previous = SnapshotBuilder.Build(Sources(Then), Then);

        var build = SnapshotBuilder.Rebuild(Changed(change), Now, previous);

        Assert.False(build.Kept);
        Assert.NotSame(previous, build.Snapshot);
        Assert.Equal(Now, build.Snapshot.CreatedAt);
        Assert.Equal(SnapshotBuilder.Build(Changed(change), Now), build.Snapshot with { Sources = null }, SnapshotEquality.Instance);
    }

    [Fact]
    public void A_snapshot_without_its_sources_is_rebuilt()
    {
        var previous = SnapshotBuilder.Build(Sources(Then), Then) with { Sources = null };

        var build = SnapshotBuilder.Rebuild(Sources(Then), Now, previous);

        Assert.False(build.Kept);
        Assert.Equal(previous.ETag, build.Snapshot.ETag);
    }

    [Fact]
    public void No_previous_snapshot_builds()
    {
        var build = SnapshotBuilder.Rebuild(Sources(Then), Now, previous: null);

        Assert.False(build.Kept);
        Assert.Equal(SnapshotBuilder.Build(Sources(Then), Now).ETag, build.Snapshot.ETag);
    }

    [Fact]
    public void The_same_answer_object_is_the_same_input()
    {
        var sources = Sources(Then);
        var previous = SnapshotBuilder.Build(sources, Then);

        Assert.True(SnapshotInputs.Same(sources, sources with { DataAsOf = Now }));
        Assert.Same(previous, SnapshotBuilder.Rebuild(sources, Now, previous).Snapshot);
    }

    private static SnapshotSources Sources(DateTimeOffset at, string probing = ProbingItems, string misuse = MisuseItems, IdentityDirectory? identities = null, bool misuseMissing = false) =>
        new(
            misuseMissing ? [Batch(Probing, probing)] : [Batch(Probing, probing), Batch(Misuse, misuse)],
            identities ?? new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 7, ["10.0.0.2"] = 8 }),
            at,
            misuseMissing ? ["misuse"] : ImmutableArray<string>.Empty);

    private static SnapshotSources Changed(string change) => change switch
    {
        "an incident's field" => Sources(Now, misuse: """{"priority":"medium","employee_id":8,"timestamp":1.4,"note":"x"}"""),
        "an incident's priority" => Sources(Now, misuse: """{"priority":"high","employee_id":8,"timestamp":1.4}"""),
        "an incident's time" => Sources(Now, misuse: """{"priority":"medium","employee_id":8,"timestamp":1.40}"""),
        "one incident more" => Sources(Now, misuse: MisuseItems + """,{"priority":"low","employee_id":9,"timestamp":2}"""),
        "a feed's skipped items" => Sources(Now, misuse: MisuseItems + """,{"employee_id":9,"timestamp":2}"""),
        "an identity" => Sources(Now, identities: new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 7, ["10.0.0.2"] = 9 })),
        "one identity more" => Sources(Now, identities: new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 7, ["10.0.0.2"] = 8, ["10.0.0.9"] = 9 })),
        "a feed missing" => Sources(Now, misuseMissing: true),
        "a feed answered for the first time" => Sources(Now) with { MissingFeeds = ["denial"] },
        "the same items from another feed" => Sources(Now) with { Feeds = [Batch(new FeedDefinition("other", "ip"), ProbingItems), Batch(Misuse, MisuseItems)] },
        "one incident fewer" => Sources(Now, probing: """{"priority":"high","ip":"10.0.0.1","timestamp":10.5}"""),
        "the same identities but one" => Sources(Now, identities: new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 7, ["10.0.0.3"] = 8 })),
        _ => throw new ArgumentOutOfRangeException(nameof(change)),
    };

    private static FeedBatch Batch(FeedDefinition feed, string items) =>
        FeedBatch.Parse(feed, Encoding.UTF8.GetBytes($$"""{"results":[{{items}}]}"""));

    /// <summary>Two snapshots serve the same when their bytes, tag, counts and missing feeds are equal.</summary>
    private sealed class SnapshotEquality : IEqualityComparer<IncidentSnapshot>
    {
        public static readonly SnapshotEquality Instance = new();

        public bool Equals(IncidentSnapshot? x, IncidentSnapshot? y) =>
            x!.Json.AsSpan().SequenceEqual(y!.Json) && x.UnresolvedJson.AsSpan().SequenceEqual(y.UnresolvedJson)
            && x.ETag == y.ETag && x.Counts == y.Counts && x.MissingFeeds.SequenceEqual(y.MissingFeeds);

        public int GetHashCode(IncidentSnapshot obj) => obj.ETag.GetHashCode(StringComparison.Ordinal);
    }
}
