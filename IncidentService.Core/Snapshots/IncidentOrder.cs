namespace IncidentService.Core.Snapshots;

/// <summary>
/// The served order: by employee id, then priority, then timestamp; incidents of the same time in the order of their
/// served bytes (which start with the feed), compared where they are kept: nothing is written out to be compared.
/// Incidents are the rows of <see cref="SourceRows"/>.
/// </summary>
internal sealed class IncidentOrder(SourceRows rows) : IComparer<int>
{
    private static readonly int PriorityCount = Priorities.All.Count;

    public int Compare(int x, int y)
    {
        var byTime = rows.Timestamp(x).CompareTo(rows.Timestamp(y));
        return byTime != 0 ? byTime : rows.Json(x).SequenceCompareTo(rows.Json(y));
    }

    /// <summary>
    /// The attributed rows (those with a bucket of 0 or more, <c>4 × group + priority</c>) placed by a counting sort
    /// into buckets of employee rank and priority, each bucket then sorted on its own.
    /// </summary>
    public (long[] EmployeeIds, int[] Sorted, int[] BucketEnds) ByEmployee(Dictionary<long, int> groupOf, int[] buckets)
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

        // Bucket by rank: count, then the end of each bucket, then place each row from its bucket's end backwards.
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

        var sorted = new int[attributed];
        var next = (int[])ends.Clone();
        for (var row = 0; row < buckets.Length; row++)
        {
            if (buckets[row] >= 0)
            {
                sorted[--next[Ranked(buckets[row])]] = row;
            }
        }

        for (var b = 0; b < ends.Length; b++)
        {
            sorted.AsSpan(next[b], ends[b] - next[b]).Sort(this);
        }

        return (employeeIds, sorted, ends);

        int Ranked(int bucket) => (rankOf[bucket / PriorityCount] * PriorityCount) + (bucket % PriorityCount);
    }
}
