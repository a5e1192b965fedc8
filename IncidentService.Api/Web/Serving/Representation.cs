namespace IncidentService.Api.Web.Serving;

/// <summary>
/// One answer's content in each coding it is stored in, each with its own strong tag (<see cref="EntityTag.Coded"/>).
/// The tags derive from the identity tag alone, so every replica that serves the same content gives the same tags.
/// </summary>
public sealed class Representation
{
    private readonly ReadOnlyMemory<byte> _identity;
    private readonly Lazy<byte[]>?[] _compressed = new Lazy<byte[]>?[ContentCodings.All.Length];
    private readonly string?[] _tags = new string?[ContentCodings.All.Length];

    private Representation(ReadOnlyMemory<byte> identity, string identityTag, Lazy<byte[]>? gzip, Lazy<byte[]>? brotli)
    {
        _identity = identity;
        _tags[(int)ContentCoding.Identity] = identityTag;
        if (brotli is not null)
        {
            _compressed[(int)ContentCoding.Brotli] = brotli;
            _tags[(int)ContentCoding.Brotli] = EntityTag.Coded(identityTag, ContentCoding.Brotli);
        }

        if (gzip is not null)
        {
            _compressed[(int)ContentCoding.Gzip] = gzip;
            _tags[(int)ContentCoding.Gzip] = EntityTag.Coded(identityTag, ContentCoding.Gzip);
        }

        Available = [.. ContentCodings.All.Where(coding => _tags[(int)coding] is not null)];
        Tags = [.. Available.Select(coding => _tags[(int)coding]!)];
    }

    /// <summary>The codings this content is stored in: identity always, br and gzip when it was worth compressing.</summary>
    public ContentCoding[] Available { get; }

    /// <summary>Every tag of this content, one per stored coding.</summary>
    public string[] Tags { get; }

    /// <summary>The identity bytes.</summary>
    public int IdentityLength => _identity.Length;

    /// <summary>Compressed bytes beside identity (those made so far), counted for the cycle log and the caches.</summary>
    public long CompressedBytes => _compressed.Sum(body => body is { IsValueCreated: true } ? body.Value.LongLength : 0);

    public ReadOnlyMemory<byte> Body(ContentCoding coding) =>
        coding == ContentCoding.Identity ? _identity : _compressed[(int)coding]!.Value;

    /// <summary>The coding's tag; null when the content is not stored in it.</summary>
    public string? Tag(ContentCoding coding) => _tags[(int)coding];

    /// <summary>The identity bytes (not copied), and the compressed ones now when the content is large enough to gain.</summary>
    public static Representation Of(ReadOnlyMemory<byte> identity, string identityTag, SnapshotCompression compression)
    {
        if (identity.Length < compression.MinBytes)
        {
            return new Representation(identity, identityTag, null, null);
        }

        var gzip = compression.Gzip(identity.Span);
        var brotli = compression.Brotli(identity.Span);
        return new Representation(identity, identityTag, new Lazy<byte[]>(gzip), new Lazy<byte[]>(brotli));
    }

    /// <summary>
    /// As <see cref="Of"/>, but each compressed body is made when first asked for, once: for answers built on request,
    /// where a client that revalidates or reads identity should not pay for codings nobody asked for. The tags are
    /// known before: a 304 never compresses.
    /// </summary>
    public static Representation Deferred(byte[] identity, string identityTag, SnapshotCompression compression) =>
        identity.Length < compression.MinBytes
            ? new Representation(identity, identityTag, null, null)
            : new Representation(identity, identityTag,
                new Lazy<byte[]>(() => compression.Gzip(identity), LazyThreadSafetyMode.ExecutionAndPublication),
                new Lazy<byte[]>(() => compression.Brotli(identity), LazyThreadSafetyMode.ExecutionAndPublication));
}
