namespace IncidentService.Core.Records;

/// <summary>
/// What is plausible for the cluster's counters: a generation grows by one per lease taken and a publish number by one
/// per record handed on, so neither comes near 2^40 in any cluster's life (a publish a millisecond for 34 years).
/// Anything above is foreign or forged, and a floor taken from it would lock every replica out of the lease.
/// </summary>
public static class RecordLimits
{
    public const long MaxGeneration = 1L << 40;

    public const long MaxPublishNumber = 1L << 40;

    /// <summary>A floor this replica may carry into the lease or a publish: what it saw, or 0 when that is implausible.</summary>
    public static long Floor(long seen, long max) => seen is > 0 and < long.MaxValue && seen < max ? seen : 0;
}
