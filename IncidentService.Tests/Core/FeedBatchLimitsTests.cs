using System.Text;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;

namespace IncidentService.Tests.Core;

/// <summary>Which reason an item is counted under when several apply, and how deep an answer may nest.</summary>
public sealed class FeedBatchLimitsTests
{
    private static readonly FeedDefinition Probing = new("probing", "ip");

    [Theory]
    [InlineData("""{"priority":"urgent","ip":"10.0.0.1","timestamp":"soon"}""", MalformedReason.PriorityUnknown)]
    [InlineData("""{"ip":"10.0.0.1"}""", MalformedReason.PriorityMissing)]
    [InlineData("""{"priority":7,"ip":"10.0.0.1"}""", MalformedReason.PriorityUnknown)]
    public void An_item_with_a_bad_priority_and_a_bad_timestamp_is_counted_under_the_priority(string item, string reason)
    {
        var batch = Parse($$"""{"results":[{{item}}]}""");

        Assert.Empty(batch.Incidents);
        Assert.Equal(reason, Assert.Single(batch.Malformed).Key);
    }

    [Fact]
    public void An_answer_nested_sixteen_levels_deep_is_read()
    {
        var batch = Parse(Nested(depth: 16));

        Assert.Single(batch.Incidents);
    }

    [Fact]
    public void An_answer_nested_deeper_than_sixteen_levels_fails_as_not_valid_json()
    {
        Assert.Throws<FeedFormatException>(() => Parse(Nested(depth: 17)));
    }

    [Fact]
    public void An_identities_answer_nested_deeper_than_sixteen_levels_fails_too()
    {
        var json = "{\"10.0.0.1\":" + new string('[', 16) + new string(']', 16) + "}";

        Assert.Throws<FeedFormatException>(() => IdentityDirectory.Parse(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>An answer whose deepest value sits <paramref name="depth"/> levels down: results, the item, then nested arrays.</summary>
    private static string Nested(int depth)
    {
        var arrays = depth - 3; // the answer object, "results", the item
        return $$"""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1,"trace":{{new string('[', arrays)}}{{new string(']', arrays)}}}]}""";
    }

    private static FeedBatch Parse(string json) => FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes(json));
}
