namespace IncidentService.Core;

/// <summary>
/// Hands out copies of small byte runs from shared chunks, so a million items make a few hundred arrays rather than a
/// million. Chunks stay below the large object heap; a run larger than a quarter chunk gets its own array.
/// </summary>
internal sealed class ByteArena
{
    private const int ChunkSize = 64 * 1024;

    private byte[] _chunk = [];
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ChunkSize / 4)
        {
            return bytes.ToArray();
        }

        if (_chunk.Length - _used < bytes.Length)
        {
            _chunk = new byte[ChunkSize];
            _used = 0;
        }

        var copy = _chunk.AsMemory(_used, bytes.Length);
        bytes.CopyTo(copy.Span);
        _used += bytes.Length;
        return copy;
    }
}
