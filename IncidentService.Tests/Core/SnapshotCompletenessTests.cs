using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;


namespace IncidentService.Tests.Core;

public sealed class SnapshotCompletenessTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly FeedBatch Misuse = FeedBatch.Parse(new FeedDefinition("misuse", "employee_id"), """{"results":[{"priority":"low","employee_id":7,"timestamp":1}]}"""u8.ToArray());

    [Fact]
    public void A_snapshot_carries_its_data_time_and_missing_feeds_and_its_tag_tells_complete_from_incomplete()
    {
        var incomplete = SnapshotBuilder.Build(new SnapshotSources([Misuse], IdentityDirectory.Empty, Now.AddMinutes(-5), ["probing"]), Now);
        var complete = SnapshotBuilder.Build(new SnapshotSources([Misuse], IdentityDirectory.Empty, Now.AddMinutes(-5), []), Now);

        Assert.Equal(incomplete.Json, complete.Json);
        Assert.NotEqual(incomplete.ETag, complete.ETag);
        Assert.False(incomplete.IsComplete);
        Assert.True(complete.IsComplete);
        Assert.Equal(["probing"], incomplete.MissingFeeds.ToArray());
        Assert.Equal(Now.AddMinutes(-5), incomplete.DataAsOf);
        Assert.Equal(Now, incomplete.CreatedAt);
    }

    [Fact]
    public void Which_feeds_are_missing_changes_the_tag()
    {
        var probing = SnapshotBuilder.Build(new SnapshotSources([Misuse], IdentityDirectory.Empty, Now, ["probing"]), Now);
        var other = SnapshotBuilder.Build(new SnapshotSources([Misuse], IdentityDirectory.Empty, Now, ["other"]), Now);
        var both = SnapshotBuilder.Build(new SnapshotSources([Misuse], IdentityDirectory.Empty, Now, ["other", "probing"]), Now);

        var joined = SnapshotBuilder.Build(new SnapshotSources([Misuse], IdentityDirectory.Empty, Now, ["otherprobing"]), Now);

        Assert.Equal(4, new[] { probing.ETag, other.ETag, both.ETag, joined.ETag }.Distinct().Count());
    }
}
