namespace IncidentService.Api.Web.Serving;

/// <summary>The content codings a representation is stored in. Declared in the order a tie prefers them: smallest first.</summary>
public enum ContentCoding
{
    Brotli,
    Gzip,
    Identity,
}

public static class ContentCodings
{
    public static readonly ContentCoding[] All = [ContentCoding.Brotli, ContentCoding.Gzip, ContentCoding.Identity];

    /// <summary>The coding's token in <c>Accept-Encoding</c> and <c>Content-Encoding</c> (RFC 9110 §8.4.1).</summary>
    public static string Token(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => "br",
        ContentCoding.Gzip => "gzip",
        _ => "identity",
    };
}
