namespace IncidentService.Api.Serving;

/// <summary>
/// Gives memory back to the system when the served data shrinks a lot. The large snapshot's arrays sit on the large
/// object heap; once unreferenced nothing forces a full collection (requests allocate little), and even after one the
/// GC keeps the freed segments for reuse: a process that once served 1 M incidents kept its 1.7 GB. An aggressive
/// collection decommits them. It blocks for a moment, so only a large drop asks for it.
/// </summary>
public static class MemoryRelease
{
    /// <summary>A drop of at least this many bytes, and to less than half, is worth a blocking collection.</summary>
    public const long MinimumDrop = 64L * 1024 * 1024;

    /// <summary>How long after the swap: the publisher has returned by then, so nothing holds the old snapshot.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static bool IsWorthIt(long servedBefore, long servedNow) =>
        servedBefore - servedNow >= MinimumDrop && servedNow * 2 < servedBefore;

    public static void Release() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
