using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;
using IncidentService.Core.Querying;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

public sealed class IncidentIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly IdentityDirectory Identities = new(new Dictionary<string, long> { ["10.0.0.1"] = 7, ["10.0.0.2"] = 12 });
    private static readonly FeedDefinition Denial = new("denial", "reported_by");
    private static readonly FeedDefinition Probing = new("probing", "ip");

    private static readonly IncidentSnapshot Snapshot = CompleteSnapshot.Of(
        [
            Batch(Denial,
                """{"priority":"high","reported_by":7,"timestamp":30,"nested":{"timestamp":1,"type":"x"},"list":[{"a":1}]}""",
                """{"priority":"LOW","reported_by":12,"timestamp":1.50}""",
                """{"priority":"critical","reported_by":3,"timestamp":5e1}"""),
            Batch(Probing,
                """{"priority":"high","ip":"10.0.0.1","timestamp":10.5}""",
                """{"priority":"medium","ip":"10.0.0.2","timestamp":20}""",
                """{"priority":"medium","ip":"10.9.9.9","timestamp":21}"""),
        ],
        Identities,
        Now);

    [Fact]
    public void Reads_every_attributed_incident_in_the_bodys_order_with_its_own_bytes()
    {
        var index = Snapshot.Index;

        Assert.Equal(
            ["3 critical denial 50", "7 high probing 10.5", "7 high denial 30", "12 low denial 1.50", "12 medium probing 20"],
            index.Incidents.Select(i => $"{i.EmployeeId} {Priorities.Name(i.Priority)} {i.Feed} {i.Timestamp}"));
        var first = Encoding.UTF8.GetString(Snapshot.Json.AsSpan()[index.Incidents[2].Json]);
        Assert.Equal("""{"type":"denial","priority":"high","reported_by":7,"timestamp":30,"nested":{"timestamp":1,"type":"x"},"list":[{"a":1}]}""", first);
    }

    [Fact]
    public void The_build_indexes_its_body_as_reading_the_body_back_does()
    {
        var readBack = IncidentIndex.ReadBack(Snapshot.Json);

        Assert.NotEmpty(Snapshot.Index.Incidents);
        Assert.Equal(readBack.Incidents, Snapshot.Index.Incidents);
    }

    [Fact]
    public void Writing_everything_gives_the_snapshots_own_bytes()
    {
        var index = Snapshot.Index;

        Assert.Equal(Snapshot.Json, index.Write(IncidentFilter.Everything));
    }

    [Fact]
    public void A_filter_keeps_the_shape_and_leaves_out_employees_without_a_match()
    {
        var index = Snapshot.Index;
        var filter = IncidentFilter.Everything with { Priorities = [Priority.High] };

        var json = Encoding.UTF8.GetString(index.Write(filter));

        Assert.Equal(
            """{"7":{"low":{"count":0,"incidents":[]},"medium":{"count":0,"incidents":[]},"high":{"count":2,"incidents":[{"type":"probing","priority":"high","ip":"10.0.0.1","timestamp":10.5},{"type":"denial","priority":"high","reported_by":7,"timestamp":30,"nested":{"timestamp":1,"type":"x"},"list":[{"a":1}]}]},"critical":{"count":0,"incidents":[]}}}""",
            json);
        Assert.Equal("{}", Encoding.UTF8.GetString(index.Write(filter with { Since = 100 })));
    }

    [Fact]
    public void The_summary_counts_per_priority_feed_and_employee_listing_every_feed_and_priority()
    {
        var index = Snapshot.Index;

        var summary = Encoding.UTF8.GetString(IncidentSummary.Write(index, IncidentFilter.Everything, ["probing", "denial", "other"]));

        Assert.Equal(
            """{"total":5,"priorities":{"low":1,"medium":1,"high":2,"critical":1},"feeds":{"denial":{"total":3,"low":1,"medium":0,"high":1,"critical":1},"other":{"total":0,"low":0,"medium":0,"high":0,"critical":0},"probing":{"total":2,"low":0,"medium":1,"high":1,"critical":0}},"employees":{"3":{"total":1,"low":0,"medium":0,"high":0,"critical":1},"7":{"total":2,"low":0,"medium":0,"high":2,"critical":0},"12":{"total":2,"low":1,"medium":1,"high":0,"critical":0}}}""",
            summary);
    }

    [Fact]
    public void The_summary_of_a_filter_counts_only_its_incidents_and_still_lists_a_feed_it_no_longer_configures()
    {
        var index = Snapshot.Index;
        var filter = IncidentFilter.Everything with { Since = 20, Types = ImmutableSortedSet.Create("denial", "probing") };

        var summary = Encoding.UTF8.GetString(IncidentSummary.Write(index, filter, ["probing"]));

        Assert.Equal(
            """{"total":3,"priorities":{"low":0,"medium":1,"high":1,"critical":1},"feeds":{"denial":{"total":2,"low":0,"medium":0,"high":1,"critical":1},"probing":{"total":1,"low":0,"medium":1,"high":0,"critical":0}},"employees":{"3":{"total":1,"low":0,"medium":0,"high":0,"critical":1},"7":{"total":1,"low":0,"medium":0,"high":1,"critical":0},"12":{"total":1,"low":0,"medium":1,"high":0,"critical":0}}}""",
            summary);
    }

    [Theory]
    [InlineData("""[]""", "expected StartObject at byte 0, found StartArray")]
    [InlineData("""{"7":{"urgent":{"count":0,"incidents":[]}}}""", "unknown priority 'urgent'")]
    [InlineData("""{"7":{"low":{"count":1,"incidents":[{"timestamp":1}]}}}""", "an incident without a type")]
    [InlineData("""{"7":{"low":{"count":1,"incidents":[{"type":"denial"}]}}}""", "an incident without a timestamp")]
    [InlineData("""{"7":{"low":{"count":1,"incidents":[{"type":"denial","timestamp":1}""", null)] // the reader's own refusal
    public void A_body_that_is_not_an_incidents_document_is_refused(string json, string? message)
    {
        var refused = Assert.ThrowsAny<JsonException>(() => IncidentIndex.ReadBack(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(message ?? refused.Message, refused.Message);
    }

    [Fact]
    public void An_empty_snapshot_has_an_empty_index_and_a_summary_of_zeros()
    {
        var index = IncidentIndex.ReadBack("{}"u8.ToArray());

        Assert.Empty(index.Incidents);
        Assert.Equal(
            """{"total":0,"priorities":{"low":0,"medium":0,"high":0,"critical":0},"feeds":{"other":{"total":0,"low":0,"medium":0,"high":0,"critical":0}},"employees":{}}""",
            Encoding.UTF8.GetString(IncidentSummary.Write(index, IncidentFilter.Everything, ["other"])));
    }

    [Fact]
    public void A_filtered_body_of_an_empty_snapshot_is_an_empty_object()
    {
        var index = IncidentIndex.ReadBack("{}"u8.ToArray());

        Assert.Equal("{}", Encoding.UTF8.GetString(index.Write(IncidentFilter.Everything with { Priorities = [Priority.High] })));
    }

    private static FeedBatch Batch(FeedDefinition feed, params string[] items) =>
        FeedBatch.Parse(feed, Encoding.UTF8.GetBytes($$"""{"results":[{{string.Join(",", items)}}]}"""));
}
