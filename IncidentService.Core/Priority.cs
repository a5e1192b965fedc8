using System.Text;

namespace IncidentService.Core;

/// <summary>Incident priority, in the order the API writes them.</summary>
public enum Priority
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>Reads and writes priorities as the contract (docs/contract.md §3) wants them: matched case-insensitively, written lower-case.</summary>
public static class Priorities
{
    public static IReadOnlyList<Priority> All { get; } = [Priority.Low, Priority.Medium, Priority.High, Priority.Critical];

    /// <summary>Each priority's <see cref="Name"/> as UTF-8, in <see cref="All"/> order: what the served document and its index write and compare.</summary>
    internal static IReadOnlyList<byte[]> Utf8Names { get; } = [.. All.Select(p => Encoding.UTF8.GetBytes(Name(p)))];

    public static string Name(Priority priority) => priority switch
    {
        Priority.Low => "low",
        Priority.Medium => "medium",
        Priority.High => "high",
        Priority.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(priority)),
    };

    public static bool TryParse(string? text, out Priority priority)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, Name(candidate), StringComparison.OrdinalIgnoreCase))
            {
                priority = candidate;
                return true;
            }
        }

        priority = default;
        return false;
    }
}
