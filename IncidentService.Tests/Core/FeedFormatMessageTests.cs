using System.Text;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;

namespace IncidentService.Tests.Core;

/// <summary>A rejected answer's message reaches <c>/status</c> as the feed's last error: it must say what was wrong.</summary>
public sealed class FeedFormatMessageTests
{
    private static readonly FeedDefinition Probing = new("probing", "ip");

    [Theory]
    [InlineData("""{"items":[]}""", "Feed 'probing' answered without a 'results' property.")]
    [InlineData("[]", "Feed 'probing' answered without a 'results' property.")]
    [InlineData("""{"results":{}}""", "Feed 'probing' answered with 'results' that is not an array.")]
    [InlineData("<html>Bad gateway</html>", "The upstream answered with a body that is not valid JSON.")]
    public void A_feed_answer_of_the_wrong_shape_says_what_was_wrong(string body, string message)
    {
        var failure = Assert.Throws<FeedFormatException>(() => FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes(body)));

        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public void An_identities_answer_that_is_not_an_object_says_so()
    {
        var failure = Assert.Throws<FeedFormatException>(() => IdentityDirectory.Parse("[1,2]"u8.ToArray()));

        Assert.Equal("The identities answer is not a JSON object.", failure.Message);
    }
}
