using System.Text;
using System.Text.Json;
using IncidentService.Api.Web.Serving;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

/// <summary>The <c>/incidents/unresolved</c> document's order and shape, and the ETag's coverage of both documents.</summary>
public sealed class SnapshotBuilderDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly IdentityDirectory Identities = new(new Dictionary<string, long> { ["10.0.0.1"] = 7 });
    private static readonly FeedDefinition Probing = new("probing", "ip");

    [Fact]
    public void The_unresolved_document_lists_each_incident_under_incident_beside_its_reason()
    {
        var snapshot = CompleteSnapshot.Of([Batch(Probing, """{"priority":"High","ip":"10.9.9.9","timestamp":5,"port":22}""")], Identities, Now);

        Assert.Equal(
            """{"count":1,"incidents":[{"reason":"ip-not-in-identities","incident":{"type":"probing","priority":"high","ip":"10.9.9.9","timestamp":5,"port":22}}]}""",
            Encoding.UTF8.GetString(snapshot.UnresolvedJson));
    }

    [Fact]
    public void Unresolved_incidents_are_in_time_order_whatever_the_order_they_arrived_in()
    {
        var other = new FeedDefinition("other", "identifier");
        var snapshot = CompleteSnapshot.Of(
            [
                Batch(other, """{"priority":"low","identifier":"who?","timestamp":30}""", """{"priority":"low","timestamp":10}"""),
                Batch(Probing, """{"priority":"low","ip":"10.9.9.9","timestamp":20}""", """{"priority":"low","ip":"10.9.9.8","timestamp":10}"""),
            ],
            Identities,
            Now);

        Assert.Equal(
            """{"count":4,"incidents":[""" +
            """{"reason":"identity-missing","incident":{"type":"other","priority":"low","timestamp":10}},""" +
            """{"reason":"ip-not-in-identities","incident":{"type":"probing","priority":"low","ip":"10.9.9.8","timestamp":10}},""" +
            """{"reason":"ip-not-in-identities","incident":{"type":"probing","priority":"low","ip":"10.9.9.9","timestamp":20}},""" +
            """{"reason":"identity-malformed","incident":{"type":"other","priority":"low","identifier":"who?","timestamp":30}}]}""",
            Encoding.UTF8.GetString(snapshot.UnresolvedJson));
    }

    [Fact]
    public void A_change_only_in_the_attributed_incidents_changes_the_etag()
    {
        var unresolved = """{"priority":"low","ip":"10.9.9.9","timestamp":1}""";

        var before = CompleteSnapshot.Of([Batch(Probing, unresolved, """{"priority":"low","ip":"10.0.0.1","timestamp":2}""")], Identities, Now);
        var after = CompleteSnapshot.Of([Batch(Probing, unresolved, """{"priority":"high","ip":"10.0.0.1","timestamp":2}""")], Identities, Now);

        Assert.Equal(before.UnresolvedJson, after.UnresolvedJson);
        Assert.NotEqual(before.Json, after.Json);
        Assert.NotEqual(before.ETag, after.ETag); // else /incidents would answer 304 to stale copies
        Assert.NotEqual(EntityTag.Part(before, "7"), EntityTag.Part(after, "7"));
    }

    [Fact]
    public void Employees_are_written_in_ascending_numeric_id_order_whatever_the_order_they_arrived_in()
    {
        var misuse = new FeedDefinition("misuse", "employee_id");
        var snapshot = CompleteSnapshot.Of(
            [Batch(misuse, """{"priority":"low","employee_id":10,"timestamp":1}""", """{"priority":"low","employee_id":9,"timestamp":1}""", """{"priority":"low","employee_id":100,"timestamp":1}""")],
            Identities,
            Now);

        var ids = JsonDocument.Parse(snapshot.Json).RootElement.EnumerateObject().Select(e => e.Name);
        Assert.Equal(["9", "10", "100"], ids);
    }

    [Fact]
    public void The_incident_count_adds_up_every_priority_of_every_employee()
    {
        var misuse = new FeedDefinition("misuse", "employee_id");
        var snapshot = CompleteSnapshot.Of(
            [Batch(misuse,
                """{"priority":"low","employee_id":7,"timestamp":1}""",
                """{"priority":"high","employee_id":7,"timestamp":2}""",
                """{"priority":"high","employee_id":7,"timestamp":3}""",
                """{"priority":"critical","employee_id":8,"timestamp":4}""")],
            Identities,
            Now);

        Assert.Equal(new SnapshotCounts(Employees: 2, Incidents: 4, Unresolved: 0, Malformed: 0), snapshot.Counts);
    }

    private static FeedBatch Batch(FeedDefinition feed, params string[] items) =>
        FeedBatch.Parse(feed, Encoding.UTF8.GetBytes($$"""{"results":[{{string.Join(",", items)}}]}"""));
}
