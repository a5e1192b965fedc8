using System.Collections.Immutable;
using System.Globalization;

namespace IncidentService.Core.Querying;

/// <summary>
/// Which incidents a dashboard asks for: some priorities, some feeds (types), a time window of the incidents' own
/// timestamps, <see cref="Since"/> included and <see cref="Until"/> excluded. Empty sets and null bounds let all through.
/// </summary>
public sealed record IncidentFilter(ImmutableSortedSet<Priority> Priorities, ImmutableSortedSet<string> Types, decimal? Since, decimal? Until)
{
    public static IncidentFilter Everything { get; } = new([], [], null, null);

    public bool IsEverything => Priorities.IsEmpty && Types.IsEmpty && Since is null && Until is null;

    /// <summary>One text per filter, whatever order or spelling the query used: the basis of the answer's ETag.</summary>
    public string Key => string.Join(
        ';',
        string.Join(',', Priorities.Select(Core.Priorities.Name)),
        string.Join(',', Types),
        Since?.ToString(CultureInfo.InvariantCulture) ?? "",
        Until?.ToString(CultureInfo.InvariantCulture) ?? "");

    public bool Matches(Priority priority, string type, decimal timestamp) =>
        (Priorities.IsEmpty || Priorities.Contains(priority))
        && (Types.IsEmpty || Types.Contains(type))
        && (Since is not { } since || timestamp >= since)
        && (Until is not { } until || timestamp < until);
}
