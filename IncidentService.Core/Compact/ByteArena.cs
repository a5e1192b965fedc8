using IncidentService.Core.Parsing;

namespace IncidentService.Core.Compact;

/// <summary>
/// Keeps copies of small byte runs in shared chunks, so a million items make a few thousand arrays rather than a
/// million, and names each run by one number (its chunk and offset) instead of a reference and two lengths. Chunks stay
/// below the large object heap; a run larger than a quarter chunk gets a chunk of its own.
/// </summary>
internal sealed class ByteArena
{
    private const int OffsetBits = 16;
    private const int ChunkSize = 1 << OffsetBits;
    private const int MaxChunks = 1 << (31 - OffsetBits); // so that a location stays a positive int: 2 GB at least

    private readonly List<byte[]> _chunks = [];
    private int _current = -1;
    private int _used;

    /// <summary>Copies <paramref name="bytes"/> in and returns their location, for <see cref="Get"/>.</summary>
    public int Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ChunkSize / 4)
        {
            return NewChunk(bytes.ToArray()) << OffsetBits;
        }

        if (_current < 0 || ChunkSize - _used < bytes.Length)
        {
            (_current, _used) = (NewChunk(new byte[ChunkSize]), 0);
        }

        bytes.CopyTo(_chunks[_current].AsSpan(_used));
        var location = (_current << OffsetBits) | _used;
        _used += bytes.Length;
        return location;
    }

    public ReadOnlyMemory<byte> Get(int location, int length) =>
        _chunks[location >> OffsetBits].AsMemory(location & (ChunkSize - 1), length);

    private int NewChunk(byte[] chunk)
    {
        if (_chunks.Count == MaxChunks)
        {
            throw new FeedFormatException("The upstream answered with more incident data than one answer may hold.");
        }

        _chunks.Add(chunk);
        return _chunks.Count - 1;
    }
}
