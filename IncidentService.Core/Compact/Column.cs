namespace IncidentService.Core.Compact;

/// <summary>
/// Values appended one by one and read by position, kept in blocks: growing never copies what is already there (an
/// array grown by doubling leaves its outgrown copies behind, about its final size again, as garbage), and a block of
/// even the widest value stays off the large object heap. The first block grows up to the block size, so a small
/// column stays small.
/// </summary>
internal sealed class Column<T>
    where T : struct
{
    private const int BlockBits = 12;
    private const int BlockSize = 1 << BlockBits;
    private const int FirstBlockSize = 64;

    private T[][] _blocks = [];

    public int Count { get; private set; }

    public T this[int index] => _blocks[index >> BlockBits][index & (BlockSize - 1)];

    public void Add(T value)
    {
        var (block, at) = (Count >> BlockBits, Count & (BlockSize - 1));
        if (block == _blocks.Length)
        {
            Array.Resize(ref _blocks, Math.Max(1, _blocks.Length * 2)); // the block table: one reference per 4,096 values
        }

        var values = _blocks[block] ??= new T[block == 0 ? FirstBlockSize : BlockSize];
        if (at == values.Length)
        {
            Array.Resize(ref _blocks[block], values.Length * 2); // only the first block, up to the block size
            values = _blocks[block];
        }

        values[at] = value;
        Count++;
    }
}
