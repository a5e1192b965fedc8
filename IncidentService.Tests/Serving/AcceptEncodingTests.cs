using IncidentService.Api.Web.Serving;
using Microsoft.Extensions.Primitives;

namespace IncidentService.Tests.Serving;

public sealed class AcceptEncodingTests
{
    private static readonly ContentCoding[] Every = [ContentCoding.Identity, ContentCoding.Gzip, ContentCoding.Brotli];
    private static readonly ContentCoding[] IdentityOnly = [ContentCoding.Identity];

    [Theory]
    [InlineData("", "identity")] // an empty field: no coding wanted
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, br", "br")] // a tie prefers br
    [InlineData("br, gzip", "br")]
    [InlineData("gzip, deflate, br, zstd", "br")] // what browsers send
    [InlineData("gzip;q=0.8, br;q=0.8", "br")]
    [InlineData("br;q=0.5, gzip", "gzip")] // the higher q wins over the tie rule
    [InlineData("gzip;q=1.0, br;q=0.999", "gzip")]
    [InlineData("identity;q=0.5, gzip;q=0.5", "gzip")] // a tie prefers the smaller
    [InlineData("identity, gzip;q=0.5", "identity")]
    [InlineData("*", "br")] // * is every coding not listed
    [InlineData("*;q=0.5, gzip", "gzip")]
    [InlineData("gzip;q=0, *", "br")]
    [InlineData("br;q=0, *", "gzip")]
    [InlineData("br;q=0, gzip;q=0", "identity")] // identity is acceptable unless refused
    [InlineData("*;q=0, identity", "identity")] // identity's own entry beats *;q=0
    [InlineData("identity;q=0, gzip", "gzip")]
    [InlineData("identity;q=0, *", "br")]
    [InlineData("deflate", "identity")] // nothing we have is listed: identity (RFC 9110 §12.5.3)
    [InlineData("GZIP", "gzip")] // codings are case-insensitive
    [InlineData("x-gzip", "gzip")] // x-gzip is gzip (RFC 9110 §8.4.1.3)
    [InlineData("Br;Q=1", "br")]
    [InlineData(" gzip ; q=0.5 ,\tbr ; q=0.4 ", "gzip")] // whitespace around elements and parameters
    [InlineData("br;q=2, gzip", "gzip")] // an unreadable q drops its element only
    [InlineData("br;q=abc, gzip;q=0.1", "gzip")]
    [InlineData("br;q=0.1234, gzip;q=0.1", "gzip")] // at most three decimals
    [InlineData("br;q=1.001, gzip;q=0.1", "gzip")]
    [InlineData("br;level=9, gzip;q=0.5", "br")] // another parameter is ignored; q defaults to 1
    [InlineData(",, br ,", "br")] // empty list elements are allowed
    [InlineData("gzip;q=0., br;q=0", "identity")] // "0." is a valid zero
    public void Chooses_the_coding_RFC_9110_says(string header, string expected) =>
        Assert.Equal(expected, Token(AcceptEncoding.Negotiate(header, Every)));

    [Fact]
    public void No_header_gets_identity() => Assert.Equal(ContentCoding.Identity, AcceptEncoding.Negotiate(StringValues.Empty, Every));

    [Fact]
    public void Several_header_lines_count_as_one_list() =>
        Assert.Equal(ContentCoding.Brotli, AcceptEncoding.Negotiate(new StringValues(["gzip;q=0.9", "br"]), Every));

    [Theory]
    [InlineData("identity;q=0")] // gzip and br are not listed, so not acceptable either
    [InlineData("*;q=0")]
    [InlineData("deflate, identity;q=0")]
    [InlineData("br;q=0, gzip;q=0, identity;q=0")]
    [InlineData("*;q=0, IDENTITY;q=0")]
    public void Nothing_acceptable_is_null_for_a_406(string header) => Assert.Null(AcceptEncoding.Negotiate(header, Every));

    [Theory]
    [InlineData("gzip, br", "identity")] // not listed, still acceptable
    [InlineData("*", "identity")]
    [InlineData("br;q=1, identity;q=0.1", "identity")]
    [InlineData("gzip, identity;q=0", null)]
    [InlineData("*;q=0, br", null)]
    public void A_content_stored_as_identity_only_is_identity_or_nothing(string header, string? expected) =>
        Assert.Equal(expected, Token(AcceptEncoding.Negotiate(header, IdentityOnly)));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0.", 0)]
    [InlineData("0.5", 500)]
    [InlineData("0.123", 123)]
    [InlineData("1", 1000)]
    [InlineData("1.000", 1000)]
    public void Reads_qvalues_in_thousandths(string text, int expected)
    {
        Assert.True(AcceptEncoding.TryReadQValue(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("1.5")]
    [InlineData("1.0001")]
    [InlineData("0.1234")]
    [InlineData(".5")]
    [InlineData("0,5")]
    [InlineData("0.5a")]
    [InlineData("-0")]
    public void Refuses_what_is_not_a_qvalue(string text) => Assert.False(AcceptEncoding.TryReadQValue(text, out _));

    private static string? Token(ContentCoding? coding) => coding is { } c ? ContentCodings.Token(c) : null;
}
