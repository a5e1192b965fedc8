using IncidentService.Api.Web.Serving;
using Microsoft.Extensions.Primitives;

namespace IncidentService.Tests.Serving;

public sealed class IfNoneMatchTests
{
    private static readonly string[] Tags = ["\"abc-br\"", "\"abc-gzip\"", "\"abc\""];

    [Theory]
    [InlineData("\"abc\"", "\"abc\"", "\"abc\"")]
    [InlineData("\"abc-gzip\"", "\"abc-gzip\"", "\"abc-gzip\"")]
    [InlineData("\"abc-gzip\"", "\"abc-br\"", "\"abc-gzip\"")] // another coding's tag of the same content: 304 naming it
    [InlineData("\"abc\", \"abc-br\"", "\"abc-br\"", "\"abc-br\"")] // a cache listing its variants: the selected one wins
    [InlineData("\"old\", \"abc\"", "\"abc-br\"", "\"abc\"")]
    [InlineData("W/\"abc\"", "\"abc\"", "\"abc\"")] // weak comparison
    [InlineData("*", "\"abc-gzip\"", "\"abc-gzip\"")]
    [InlineData(" \"x\" ,\t\"abc-br\" ", "\"abc\"", "\"abc-br\"")]
    public void Matches_any_tag_of_the_content(string header, string preferred, string expected) =>
        Assert.Equal(expected, IfNoneMatch.Match(header, Tags, preferred));

    [Theory]
    [InlineData("\"old\"")]
    [InlineData("\"abc-deflate\"")]
    [InlineData("abc")] // unquoted is not this tag
    [InlineData("\"ABC\"")] // tags compare by octets
    [InlineData("")]
    public void Another_tag_is_no_match(string header) => Assert.Null(IfNoneMatch.Match(header, Tags, "\"abc\""));

    [Fact]
    public void Several_header_lines_count_as_one_list() =>
        Assert.Equal("\"abc\"", IfNoneMatch.Match(new StringValues(["\"old\"", "\"abc\""]), Tags, "\"abc\""));

    [Fact]
    public void No_header_is_no_match() => Assert.Null(IfNoneMatch.Match(StringValues.Empty, Tags, "\"abc\""));
}
