using IncidentService.Api.Web.Serving;

namespace IncidentService.Tests.Serving;

public sealed class ContentCodingTests
{
    [Fact]
    public void Every_coding_has_its_registered_token_and_reads_back_from_it_in_any_case()
    {
        Assert.Equal(["br", "gzip", "identity"], ContentCodings.All.Select(ContentCodings.Token));
        Assert.Equal(Enum.GetValues<ContentCoding>().Length, ContentCodings.Tokens.Count);
        foreach (var coding in ContentCodings.All)
        {
            Assert.Equal(coding, ContentCodings.Named(ContentCodings.Token(coding).ToUpperInvariant()));
        }

        Assert.Equal(ContentCoding.Gzip, ContentCodings.Named("X-Gzip"));
        Assert.Null(ContentCodings.Named("zstd"));
    }
}
