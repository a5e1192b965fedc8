using System.Text;
using System.Text.Json;
using IncidentService.Api.Web.Serving;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

public sealed class SnapshotBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    private static readonly IdentityDirectory Identities = new(new Dictionary<string, long> { ["17.99.238.86"] = 4506, ["10.0.0.1"] = 7 });

    [Fact]
    public void Writes_the_challenge_format_exactly()
    {
        var executable = Batch(new FeedDefinition("executable", "machine_ip"), """{"priority":"Medium","machine_ip":"17.99.238.86","timestamp":1500020421.9333}""");

        var snapshot = CompleteSnapshot.Of([executable], Identities, Now);

        Assert.Equal(
            """{"4506":{"low":{"count":0,"incidents":[]},"medium":{"count":1,"incidents":[{"type":"executable","priority":"medium","machine_ip":"17.99.238.86","timestamp":1500020421.9333}]},"high":{"count":0,"incidents":[]},"critical":{"count":0,"incidents":[]}}}""",
            Encoding.UTF8.GetString(snapshot.Json));
    }

    [Fact]
    public void Numbers_keep_every_digit_as_received()
    {
        var misuse = Batch(new FeedDefinition("misuse", "employee_id"), """{"priority":"low","employee_id":7,"timestamp":1629256473.8273930,"score":1E+2}""");

        var json = Encoding.UTF8.GetString(CompleteSnapshot.Of([misuse], Identities, Now).Json);

        Assert.Contains("\"timestamp\":1629256473.8273930", json, StringComparison.Ordinal);
        Assert.Contains("\"score\":1E+2", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Incidents_are_in_time_order_across_feeds_with_ties_broken_by_content()
    {
        var denial = Batch(new FeedDefinition("denial", "reported_by"),
            """{"priority":"high","reported_by":7,"timestamp":30,"source_ip":"8.8.8.8"}""",
            """{"priority":"high","reported_by":7,"timestamp":10.5,"source_ip":"8.8.8.8"}""");
        var probing = Batch(new FeedDefinition("probing", "ip"),
            """{"priority":"high","ip":"10.0.0.1","timestamp":10.50}""",
            """{"priority":"high","ip":"10.0.0.1","timestamp":20}""");

        var high = Employee(CompleteSnapshot.Of([probing, denial], Identities, Now), 7).GetProperty("high");

        Assert.Equal(4, high.GetProperty("count").GetInt32());
        Assert.Equal(
            ["denial:10.5", "probing:10.50", "probing:20", "denial:30"],
            high.GetProperty("incidents").EnumerateArray().Select(i => $"{i.GetProperty("type").GetString()}:{i.GetProperty("timestamp").GetRawText()}"));
    }

    [Fact]
    public void The_same_data_in_any_order_gives_the_same_bytes_and_etag()
    {
        var items = Enumerable.Range(0, 40)
            .Select(i => $$"""{"priority":"{{(i % 3 == 0 ? "low" : "LOW")}}","identifier":{{(i % 2 == 0 ? "7" : "\"10.0.0.1\"")}},"timestamp":{{i % 4}}}""")
            .ToArray();
        var other = new FeedDefinition("other", "identifier");

        var forward = CompleteSnapshot.Of([Batch(other, items)], Identities, Now);
        var backward = CompleteSnapshot.Of([Batch(other, [.. items.Reverse()])], Identities, Now);

        Assert.Equal(forward.Json, backward.Json);
        Assert.Equal(forward.ETag, backward.ETag);
    }

    [Fact]
    public void Unattributable_incidents_are_listed_with_their_reason_and_not_served_under_anyone()
    {
        var other = Batch(new FeedDefinition("other", "identifier"),
            """{"priority":"low","identifier":"192.168.9.9","timestamp":1}""",
            """{"priority":"low","identifier":"who?","timestamp":2}""",
            """{"priority":"low","timestamp":3}""",
            """{"priority":"low","identifier":7,"timestamp":4}""");

        var snapshot = CompleteSnapshot.Of([other], Identities, Now);

        var unresolved = JsonDocument.Parse(snapshot.UnresolvedJson).RootElement;
        Assert.Equal(3, unresolved.GetProperty("count").GetInt32());
        Assert.Equal(
            [UnresolvedReason.IpNotInIdentities, UnresolvedReason.IdentityMalformed, UnresolvedReason.IdentityMissing],
            unresolved.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("reason").GetString()));
        Assert.Equal(new SnapshotCounts(Employees: 1, Incidents: 1, Unresolved: 3, Malformed: 0), snapshot.Counts);
    }

    [Fact]
    public void Each_employee_slice_is_that_employees_object_in_the_full_document()
    {
        var misuse = Batch(new FeedDefinition("misuse", "employee_id"),
            """{"priority":"low","employee_id":7,"timestamp":1}""",
            """{"priority":"critical","employee_id":4506,"timestamp":2}""");

        var snapshot = CompleteSnapshot.Of([misuse], Identities, Now);

        foreach (var id in new long[] { 7, 4506 })
        {
            Assert.Equal(Employee(snapshot, id).GetRawText(), Encoding.UTF8.GetString(snapshot.ForEmployee(id)!.Value.Span));
        }

        Assert.Null(snapshot.ForEmployee(8));
    }

    [Fact]
    public void A_change_only_in_the_unresolved_incidents_changes_the_etag()
    {
        var probing = new FeedDefinition("probing", "ip");
        var attributed = """{"priority":"low","ip":"10.0.0.1","timestamp":1}""";

        var before = CompleteSnapshot.Of([Batch(probing, attributed)], Identities, Now);
        var after = CompleteSnapshot.Of([Batch(probing, attributed, """{"priority":"low","ip":"10.9.9.9","timestamp":2}""")], Identities, Now);

        Assert.Equal(before.Json, after.Json);
        Assert.NotEqual(before.ETag, after.ETag); // else /incidents/unresolved would answer 304 to stale copies
        Assert.NotEqual(EntityTag.Part(before, "unresolved"), EntityTag.Part(after, "unresolved"));
    }

    [Fact]
    public void Malformed_items_are_counted_in_the_snapshot()
    {
        var batch = FeedBatch.Parse(new FeedDefinition("misuse", "employee_id"), """{"results":[{"priority":"nope","employee_id":7,"timestamp":1}]}"""u8.ToArray());

        Assert.Equal(1, CompleteSnapshot.Of([batch], Identities, Now).Counts.Malformed);
    }

    private static JsonElement Employee(IncidentSnapshot snapshot, long id) =>
        JsonDocument.Parse(snapshot.Json).RootElement.GetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Clone();

    private static FeedBatch Batch(FeedDefinition feed, params string[] items) =>
        FeedBatch.Parse(feed, Encoding.UTF8.GetBytes($$"""{"results":[{{string.Join(",", items)}}]}"""));
}
