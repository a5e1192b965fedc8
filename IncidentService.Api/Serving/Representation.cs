namespace IncidentService.Api.Serving;

/// <summary>
/// One answer's content in each coding it is stored in, each with its own strong tag: the identity tag, and for a
/// compressed body the identity tag with the coding appended (<c>"…-gzip"</c>, <c>"…-br"</c>). The tags derive from the
/// identity bytes alone, so every replica that serves the same content gives the same tags.
/// </summary>
public sealed class Representation
{
    private readonly ReadOnlyMemory<byte>[] _bodies = new ReadOnlyMemory<byte>[ContentCodings.All.Length];
    private readonly string?[] _tags = new string?[ContentCodings.All.Length];

    private Representation(ReadOnlyMemory<byte> identity, string identityTag, byte[]? gzip, byte[]? brotli)
    {
        Add(ContentCoding.Identity, identity, identityTag);
        if (brotli is not null)
        {
            Add(ContentCoding.Brotli, brotli, CodedTag(identityTag, ContentCoding.Brotli));
        }

        if (gzip is not null)
        {
            Add(ContentCoding.Gzip, gzip, CodedTag(identityTag, ContentCoding.Gzip));
        }

        Available = [.. ContentCodings.All.Where(coding => _tags[(int)coding] is not null)];
        Tags = [.. Available.Select(coding => _tags[(int)coding]!)];
    }

    /// <summary>The codings this content is stored in: identity always, br and gzip when it was worth compressing.</summary>
    public ContentCoding[] Available { get; }

    /// <summary>Every tag of this content, one per stored coding.</summary>
    public string[] Tags { get; }

    /// <summary>Compressed bytes beside identity, counted for the cycle log.</summary>
    public long CompressedBytes => _bodies[(int)ContentCoding.Gzip].Length + _bodies[(int)ContentCoding.Brotli].Length;

    public ReadOnlyMemory<byte> Body(ContentCoding coding) => _bodies[(int)coding];

    /// <summary>The coding's tag; null when the content is not stored in it.</summary>
    public string? Tag(ContentCoding coding) => _tags[(int)coding];

    /// <summary>The identity tag with the coding appended: <c>"abc"</c> → <c>"abc-br"</c>.</summary>
    public static string CodedTag(string identityTag, ContentCoding coding) =>
        coding == ContentCoding.Identity ? identityTag : $"{identityTag[..^1]}-{ContentCodings.Token(coding)}\"";

    /// <summary>The identity bytes (not copied), and the compressed ones when the content is large enough to gain.</summary>
    public static Representation Of(ReadOnlyMemory<byte> identity, string identityTag, SnapshotCompression compression) =>
        identity.Length < compression.MinBytes
            ? new Representation(identity, identityTag, null, null)
            : new Representation(identity, identityTag, compression.Gzip(identity.Span), compression.Brotli(identity.Span));

    private void Add(ContentCoding coding, ReadOnlyMemory<byte> body, string tag)
    {
        _bodies[(int)coding] = body;
        _tags[(int)coding] = tag;
    }
}
