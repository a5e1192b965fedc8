using System.Text;
using System.Text.Json;
using IncidentService.Core;
using IncidentService.Core.Querying;

namespace IncidentService.Tests.Core;

/// <summary>
/// The index reads names as written here without making strings of them, and a body written otherwise (escapes,
/// another case) still as the contract reads it.
/// </summary>
public sealed class IncidentIndexReadingTests
{
    [Fact]
    public void Escaped_names_and_priorities_in_another_case_read_as_those_written_here()
    {
        var plain = IncidentIndex.ReadBack(Body("""{"70":{"low":{"count":1,"incidents":[{"type":"denial","timestamp":1.50}]},"high":{"count":1,"incidents":[{"type":"probing","timestamp":2}]}}}"""));
        var escaped = IncidentIndex.ReadBack(Body("""{"\u0037\u0030":{"LOW":{"count":1,"incidents":[{"type":"d\u0065nial","timestamp":1.50}]},"Hi\u0067h":{"count":1,"incidents":[{"type":"probing","timestamp":2}]}}}"""));

        Assert.Equal(
            ["70 Low denial 1.50", "70 High probing 2"],
            plain.Incidents.Select(i => $"{i.EmployeeId} {i.Priority} {i.Feed} {i.Timestamp}"));
        Assert.Equal(
            plain.Incidents.Select(i => (i.EmployeeId, i.Priority, i.Feed, i.Timestamp)),
            escaped.Incidents.Select(i => (i.EmployeeId, i.Priority, i.Feed, i.Timestamp)));
    }

    [Fact]
    public void Incidents_of_one_feed_share_its_name()
    {
        var index = IncidentIndex.ReadBack(Body("""{"7":{"low":{"count":3,"incidents":[{"type":"denial","timestamp":1},{"type":"probing","timestamp":2},{"type":"d\u0065nial","timestamp":3}]}}}"""));

        Assert.Equal(["denial", "probing", "denial"], index.Incidents.Select(i => i.Feed));
        Assert.Same(index.Incidents[0].Feed, index.Incidents[2].Feed);
    }

    [Fact]
    public void Every_row_of_a_large_body_reads_back_with_its_own_bytes()
    {
        var employees = Enumerable.Range(1, 3_000).Select(e => $$$"""
            "{{{e}}}":{"low":{"count":2,"incidents":[{"type":"denial","timestamp":{{{e}}}},{"type":"probing","timestamp":{{{e}}}.5}]},"critical":{"count":1,"incidents":[{"type":"other","timestamp":{{{e * 2}}}}]}}
            """.Trim());
        var json = Body("{" + string.Join(",", employees) + "}");

        var index = IncidentIndex.ReadBack(json);

        Assert.Equal(9_000, index.Incidents.Count);
        for (var row = 0; row < index.Incidents.Count; row++)
        {
            var incident = index.Incidents[row];
            var (e, k) = ((row / 3) + 1, row % 3);
            Assert.Equal((e, k == 2 ? Priority.Critical : Priority.Low, k switch { 0 => "denial", 1 => "probing", _ => "other" }), (incident.EmployeeId, incident.Priority, incident.Feed));
            Assert.Equal(k switch { 0 => e, 1 => e + 0.5m, _ => e * 2 }, incident.Timestamp);
            Assert.Equal(incident.Feed, JsonDocument.Parse(json.AsMemory()[incident.Json]).RootElement.GetProperty("type").GetString());
        }

        Assert.Equal(index.Incidents, index.Matching(IncidentFilter.Everything));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Incidents[9_000]);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Incidents[-1]);
    }

    [Theory]
    [InlineData("""{"99999999999999999999":{}}""", typeof(OverflowException))]
    [InlineData("""{"-7":{}}""", typeof(FormatException))]
    [InlineData("""{"7 ":{}}""", typeof(FormatException))]
    [InlineData("""{"":{}}""", typeof(FormatException))]
    [InlineData("""{"7":{"low":{"incidents":[{"type":null,"timestamp":1}]}}}""", typeof(JsonException))]
    public void An_employee_that_is_no_id_or_a_type_that_is_no_text_is_refused(string json, Type refusal)
    {
        Assert.IsType(refusal, Record.Exception(() => IncidentIndex.ReadBack(Body(json))));
    }

    [Fact]
    public void A_type_that_is_null_is_refused_as_such()
    {
        var refused = Assert.Throws<JsonException>(() => IncidentIndex.ReadBack(Body("""{"7":{"low":{"incidents":[{"type":null,"timestamp":1}]}}}""")));

        Assert.Equal("an incident whose type is null", refused.Message);
    }

    private static byte[] Body(string json) => Encoding.UTF8.GetBytes(json);
}
