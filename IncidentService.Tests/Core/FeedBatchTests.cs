using System.Text;
using IncidentService.Core;
using IncidentService.Core.Parsing;

namespace IncidentService.Tests.Core;

public sealed class FeedBatchTests
{
    private static readonly FeedDefinition Other = new("other", "identifier");

    [Fact]
    public void Reads_items_keeping_every_field_in_order_with_its_exact_text()
    {
        var batch = Parse(Other, """{"results":[{"priority":"High","identifier":"17.24.153.5","timestamp":1629256473.8273930,"extra":[1, 2]}]}""");

        var incident = Assert.Single(batch.Incidents);
        Assert.Equal(Priority.High, incident.Priority);
        Assert.Equal(1629256473.827393m, incident.Timestamp);
        Assert.Equal(["priority", "identifier", "timestamp", "extra"], incident.Fields.Select(f => f.Name));
        Assert.Equal("1629256473.8273930", incident.Fields[2].RawJson);
        Assert.Equal("[1, 2]", incident.Fields[3].RawJson);
        Assert.Equal(new IdentityReference(IdentityKind.Ip, 0, "17.24.153.5"), incident.Identity);
    }

    [Fact]
    public void A_bad_item_is_skipped_and_counted_without_losing_its_neighbours()
    {
        var batch = Parse(Other, """
            {"results":[
              {"priority":"low","identifier":1,"timestamp":1.5},
              {"priority":"urgent","identifier":2,"timestamp":2},
              {"priority":"low","identifier":3,"timestamp":"3"},
              {"identifier":4,"timestamp":4},
              {"priority":"low","identifier":5},
              7,
              {"priority":"CRITICAL","identifier":6,"timestamp":6}
            ]}
            """);

        Assert.Equal([1L, 6L], batch.Incidents.Select(i => i.Identity.EmployeeId));
        Assert.Equal(Priority.Critical, batch.Incidents[1].Priority);
        Assert.Equal(1, batch.Malformed[MalformedReason.PriorityUnknown]);
        Assert.Equal(1, batch.Malformed[MalformedReason.TimestampNotANumber]);
        Assert.Equal(1, batch.Malformed[MalformedReason.PriorityMissing]);
        Assert.Equal(1, batch.Malformed[MalformedReason.TimestampMissing]);
        Assert.Equal(1, batch.Malformed[MalformedReason.NotAnObject]);
        Assert.Equal(5, batch.MalformedCount);
    }

    [Fact]
    public void Items_without_their_identity_field_are_kept_as_missing_identity()
    {
        var batch = Parse(new FeedDefinition("probing", "ip"), """{"results":[{"priority":"low","timestamp":1}]}""");

        Assert.Equal(IdentityKind.Missing, Assert.Single(batch.Incidents).Identity.Kind);
    }

    [Theory]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("""{"results":[{"priority":"low",""")]
    [InlineData("""{"items":[]}""")]
    [InlineData("""{"results":{}}""")]
    [InlineData("[]")]
    [InlineData("")]
    public void A_body_of_the_wrong_shape_fails_the_whole_answer(string body)
    {
        Assert.Throws<FeedFormatException>(() => Parse(Other, body));
    }

    private static FeedBatch Parse(FeedDefinition feed, string json) => FeedBatch.Parse(feed, Encoding.UTF8.GetBytes(json));
}
