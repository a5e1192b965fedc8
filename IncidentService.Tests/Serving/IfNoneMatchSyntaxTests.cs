using IncidentService.Api.Web.Serving;

namespace IncidentService.Tests.Serving;

/// <summary>
/// The list in <c>If-None-Match</c> is split at commas with optional whitespace around each element, which is spaces
/// and tabs only (RFC 9110 §5.6.1, §5.6.3): other white space is part of the element, so it is not the tag.
/// </summary>
public sealed class IfNoneMatchSyntaxTests
{
    private static readonly string[] Tags = ["\"abc-br\"", "\"abc-gzip\"", "\"abc\""];

    [Theory]
    [InlineData("\u00A0\"abc\"")] // no-break space
    [InlineData("\"abc\"\u000B")] // vertical tab
    [InlineData("\n\"abc\"")]
    public void A_tag_padded_with_other_white_space_is_no_match(string header) =>
        Assert.Null(IfNoneMatch.Match(header, Tags, "\"abc\""));

    [Fact]
    public void Spaces_and_tabs_around_a_tag_are_not_part_of_it() =>
        Assert.Equal("\"abc-gzip\"", IfNoneMatch.Match(" \t\"abc-gzip\"\t ", Tags, "\"abc\""));
}
