namespace IncidentService.Core.Snapshots;

/// <summary>
/// The employees whose answer differs between two snapshots: an employee's slice of the document added, removed or
/// changed byte for byte. Compared once per installed snapshot, whoever listens.
/// </summary>
public static class EmployeeChanges
{
    /// <summary>
    /// Ids, ascending, whose <c>/incidents/{id}</c> answer differs between <paramref name="previous"/> and
    /// <paramref name="next"/>; every employee of <paramref name="next"/> when there is no previous snapshot.
    /// </summary>
    public static long[] Between(IncidentSnapshot? previous, IncidentSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (previous is null)
        {
            return Sorted(next.Employees.Keys);
        }

        if (previous.ETag == next.ETag)
        {
            return [];
        }

        var changed = new List<long>();
        var before = previous.Json.AsSpan();
        var after = next.Json.AsSpan();
        foreach (var (id, range) in next.Employees)
        {
            if (!previous.Employees.TryGetValue(id, out var old) || !before[old].SequenceEqual(after[range]))
            {
                changed.Add(id);
            }
        }

        foreach (var id in previous.Employees.Keys)
        {
            if (!next.Employees.ContainsKey(id))
            {
                changed.Add(id);
            }
        }

        changed.Sort();
        return [.. changed];
    }

    private static long[] Sorted(IEnumerable<long> ids)
    {
        long[] sorted = [.. ids];
        Array.Sort(sorted);
        return sorted;
    }
}
