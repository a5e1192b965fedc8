namespace IncidentService.Simulator.Data;

/// <summary>A seeded sequence over <see cref="StableHash"/>, for building the fixed data at start.</summary>
internal sealed class DeterministicRandom(int seed, int stream)
{
    private long _index;

    public ulong Next() => StableHash.Of(seed, stream, _index++, 0);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + (int)StableHash.Below(Next(), maxExclusive - minInclusive);

    public double NextDouble() => StableHash.Unit(Next());
}
