namespace IncidentService.Core;

/// <summary>
/// The served order: by employee id, then priority, then timestamp; incidents of the same time in the order of their
/// served bytes (which start with the feed), compared where they are kept: nothing is written out to be compared.
/// </summary>
internal sealed class IncidentOrder : IComparer<Incident>
{
    private static readonly int PriorityCount = Priorities.All.Count;

    public int Compare(Incident? x, Incident? y)
    {
        var byTime = x!.Timestamp.CompareTo(y!.Timestamp);
        return byTime != 0 ? byTime : CompareBytes(x, y);
    }

    /// <summary>
    /// The attributed incidents of <paramref name="batches"/> (those with a bucket of 0 or more, in the batches' order)
    /// placed by a counting sort into buckets of employee rank and priority, each bucket then sorted on its own.
    /// </summary>
    public (long[] EmployeeIds, Incident[] Sorted, int[] BucketEnds) ByEmployee(
        IReadOnlyList<FeedBatch> batches, Dictionary<long, int> groupOf, int[] buckets)
    {
        var employeeIds = new long[groupOf.Count];
        var groups = new int[groupOf.Count];
        var i = 0;
        foreach (var (employeeId, group) in groupOf)
        {
            (employeeIds[i], groups[i]) = (employeeId, group);
            i++;
        }

        Array.Sort(employeeIds, groups);
        var rankOf = new int[groups.Length];
        for (var rank = 0; rank < groups.Length; rank++)
        {
            rankOf[groups[rank]] = rank;
        }

        // Bucket by rank: count, then the end of each bucket, then place each incident from its bucket's end backwards.
        var ends = new int[groups.Length * PriorityCount];
        foreach (var bucket in buckets)
        {
            if (bucket >= 0)
            {
                ends[Ranked(bucket)]++;
            }
        }

        var attributed = 0;
        for (var b = 0; b < ends.Length; b++)
        {
            attributed += ends[b];
            ends[b] = attributed;
        }

        var sorted = new Incident[attributed];
        var next = (int[])ends.Clone();
        var at = 0;
        foreach (var batch in batches)
        {
            foreach (var incident in batch.Incidents)
            {
                if (buckets[at] >= 0)
                {
                    sorted[--next[Ranked(buckets[at])]] = incident;
                }

                at++;
            }
        }

        for (var b = 0; b < ends.Length; b++)
        {
            sorted.AsSpan(next[b], ends[b] - next[b]).Sort(this);
        }

        return (employeeIds, sorted, ends);

        int Ranked(int bucket) => (rankOf[bucket / PriorityCount] * PriorityCount) + (bucket % PriorityCount);
    }

    private static int CompareBytes(Incident x, Incident y) => x.Json.Span.SequenceCompareTo(y.Json.Span);
}
