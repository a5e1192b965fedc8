namespace IncidentService.Simulator.Data;

/// <summary>
/// SplitMix64-based hashing. The data must not depend on the .NET version or process (string.GetHashCode is
/// randomised, System.Random's algorithm is an implementation detail), so the simulator uses its own.
/// </summary>
internal static class StableHash
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>A hash of (seed, stream, index, salt); streams separate feeds, salts separate the uses of one item.</summary>
    public static ulong Of(int seed, int stream, long index, int salt) =>
        Mix(Mix(Mix(((ulong)(uint)seed << 32) | (uint)stream) ^ (ulong)index) ^ (uint)salt);

    /// <summary>Uniform in [0, n); the modulo bias is irrelevant for n far below 2^64.</summary>
    public static long Below(ulong hash, long n) => (long)(hash % (ulong)n);

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));
}
