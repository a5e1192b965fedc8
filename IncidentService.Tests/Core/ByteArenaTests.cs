using IncidentService.Core.Compact;


namespace IncidentService.Tests.Core;

/// <summary>Runs are packed one after another in 64 KiB chunks; a run larger than a quarter chunk gets a chunk of its own.</summary>
public sealed class ByteArenaTests
{
    private const int Chunk = 1 << 16;

    [Fact]
    public void Runs_fill_a_chunk_exactly_before_the_next_one_starts()
    {
        var arena = new ByteArena();
        var quarter = Run(Chunk / 4, 1);

        Assert.Equal([0, Chunk / 4, Chunk / 2, 3 * Chunk / 4, Chunk], Enumerable.Range(0, 5).Select(_ => arena.Add(quarter)));
    }

    [Fact]
    public void A_run_that_does_not_fit_what_is_left_starts_the_next_chunk()
    {
        var arena = new ByteArena();
        var locations = Enumerable.Range(0, 656).Select(i => arena.Add(Run(100, (byte)i))).ToList();

        Assert.Equal(Enumerable.Range(0, 655).Select(i => i * 100).Append(Chunk), locations);
        Assert.All(Enumerable.Range(0, 656), i => Assert.Equal(Run(100, (byte)i), arena.Get(locations[i], 100).ToArray()));
    }

    [Fact]
    public void A_large_run_gets_its_own_chunk_and_small_ones_go_on_filling_theirs()
    {
        var arena = new ByteArena();
        var large = Run((Chunk / 4) + 1, 7);

        Assert.Equal([0, Chunk, 10, 2 * Chunk], new[] { Run(10, 1), large, Run(10, 2), large }.Select(run => arena.Add(run)));
        Assert.Equal(large, arena.Get(Chunk, large.Length).ToArray());
        Assert.Equal(Run(10, 2), arena.Get(10, 10).ToArray());
    }

    private static byte[] Run(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
