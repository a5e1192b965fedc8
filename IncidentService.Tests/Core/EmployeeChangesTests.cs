using System.Collections.Frozen;
using System.Text;
using IncidentService.Core.Querying;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

public sealed class EmployeeChangesTests
{
    [Fact]
    public void Without_a_previous_snapshot_every_employee_is_new()
    {
        var next = Snapshot("a", (3, "x"), (1, "y"));

        Assert.Equal([1L, 3L], EmployeeChanges.Between(null, next));
    }

    [Fact]
    public void Only_employees_whose_slice_differs_are_named_added_changed_and_gone_alike()
    {
        var previous = Snapshot("a", (1, "same"), (2, "old"), (3, "gone"));
        var next = Snapshot("b", (1, "same"), (2, "new"), (4, "added"));

        Assert.Equal([2L, 3L, 4L], EmployeeChanges.Between(previous, next));
    }

    [Fact]
    public void A_slice_that_moved_within_the_document_is_not_a_change()
    {
        var previous = Snapshot("a", (1, "one"), (2, "two"));
        var next = Snapshot("b", (0, "zero"), (1, "one"), (2, "two"));

        Assert.Equal([0L], EmployeeChanges.Between(previous, next));
    }

    [Fact]
    public void The_same_tag_is_no_change()
    {
        var previous = Snapshot("a", (1, "one"));

        Assert.Empty(EmployeeChanges.Between(previous, previous with { CreatedAt = previous.CreatedAt.AddMinutes(1) }));
    }

    /// <summary>A snapshot whose document is the employees' slices one after another.</summary>
    private static IncidentSnapshot Snapshot(string etag, params (long Id, string Slice)[] employees)
    {
        var json = new StringBuilder();
        var ranges = new Dictionary<long, Range>();
        foreach (var (id, slice) in employees)
        {
            ranges[id] = new Range(json.Length, json.Length + slice.Length);
            json.Append(slice);
        }

        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var body = Encoding.ASCII.GetBytes(json.ToString());
        return new IncidentSnapshot
        {
            Json = body,
            Index = new IncidentIndex(body),
            ETag = $"\"{etag}\"",
            Employees = ranges.ToFrozenDictionary(),
            UnresolvedJson = [],
            Counts = new SnapshotCounts(employees.Length, employees.Length, 0, 0),
            CreatedAt = now,
            ContentChangedAt = now,
            DataAsOf = now,
            MissingFeeds = [],
        };
    }
}
