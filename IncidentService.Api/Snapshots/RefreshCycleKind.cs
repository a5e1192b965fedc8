using System.Collections.Frozen;

namespace IncidentService.Api.Snapshots;

/// <summary>Which targets a refresh cycle fetched: all of them, or the failing ones whose retry was due.</summary>
public enum RefreshCycleKind
{
    Regular,
    Retry,
}

/// <summary>The public labels of <see cref="RefreshCycleKind"/> (logs, metric tags, status).</summary>
public static class RefreshCycleKinds
{
    private static readonly FrozenDictionary<RefreshCycleKind, string> Labels = new Dictionary<RefreshCycleKind, string>
    {
        [RefreshCycleKind.Regular] = "regular",
        [RefreshCycleKind.Retry] = "retry",
    }.ToFrozenDictionary();

    public static string Label(RefreshCycleKind kind) => Labels[kind];
}
