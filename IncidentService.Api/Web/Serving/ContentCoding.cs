using System.Collections.Frozen;

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

    /// <summary>Each coding's token in <c>Accept-Encoding</c> and <c>Content-Encoding</c> (RFC 9110 §8.4.1).</summary>
    public static readonly FrozenDictionary<ContentCoding, string> Tokens = new Dictionary<ContentCoding, string>
    {
        [ContentCoding.Brotli] = "br",
        [ContentCoding.Gzip] = "gzip",
        [ContentCoding.Identity] = "identity",
    }.ToFrozenDictionary();

    /// <summary>The name some clients still send for gzip (RFC 9110 §8.4.1.3).</summary>
    public const string GzipAlias = "x-gzip";

    /// <inheritdoc cref="Tokens"/>
    public static string Token(ContentCoding coding) => Tokens[coding];

    /// <summary>The coding a token in <c>Accept-Encoding</c> names, case-insensitively; null for one not stored.</summary>
    public static ContentCoding? Named(ReadOnlySpan<char> token)
    {
        foreach (var coding in All)
        {
            if (token.Equals(Tokens[coding], StringComparison.OrdinalIgnoreCase))
            {
                return coding;
            }
        }

        return token.Equals(GzipAlias, StringComparison.OrdinalIgnoreCase) ? ContentCoding.Gzip : null;
    }
}
