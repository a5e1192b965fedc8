namespace IncidentService.Api.Web.Serving;

/// <summary>
/// Gives memory back to the system when the served data shrinks a lot. The large snapshot's arrays sit on the large
/// object heap; once unreferenced nothing forces a full collection (requests allocate little), and even after one the
/// GC keeps the freed segments for reuse: a process that once served 1 M incidents kept its 1.7 GB. An aggressive
/// collection decommits them. Asked for whenever what is served (answers built on request included) falls to less than
/// half, whatever the sizes: a drop of a few megabytes of served bytes can leave gigabytes of garbage behind (filtered
/// answers built from a large snapshot), and on a small heap the collection takes milliseconds, once per shrink.
/// </summary>
public static class MemoryRelease
{
    /// <summary>How long after the swap: the publisher has returned by then, so nothing holds the old snapshot.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static bool IsWorthIt(long servedBefore, long servedNow) => servedNow * 2 < servedBefore;

    public static void Release() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
