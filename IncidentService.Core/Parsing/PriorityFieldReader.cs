using System.Text;
using System.Text.Json;

namespace IncidentService.Core.Parsing;

/// <summary>
/// An item's <c>priority</c>: matched as <see cref="Priorities.TryParse"/> matches it, served in its lower-case name,
/// and its text as received kept once per distinct spelling (upstreams vary the case of a few words).
/// </summary>
internal sealed class PriorityFieldReader
{
    private const int KnownPriorityTexts = 64;
    private static readonly byte[][] PriorityNames = [.. Priorities.All.Select(p => Encoding.UTF8.GetBytes(Priorities.Name(p)))];
    private static readonly byte[][] ServedPriorities = [.. Priorities.All.Select(p => Encoding.UTF8.GetBytes($"\"{Priorities.Name(p)}\""))];

    private readonly List<byte[]> _priorityTexts = [];

    /// <summary>The priority as served: its name as a JSON string.</summary>
    public static ReadOnlySpan<byte> Served(Priority priority) => ServedPriorities[(int)priority];

    public static bool TryRead(ref Utf8JsonReader reader, out Priority priority)
    {
        if (reader.ValueIsEscaped || !Ascii.IsValid(reader.ValueSpan))
        {
            return Priorities.TryParse(reader.GetString(), out priority);
        }

        // Plain ASCII: the ordinal case-insensitive match of Priorities.TryParse is ASCII case folding.
        for (var i = 0; i < PriorityNames.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(reader.ValueSpan, PriorityNames[i]))
            {
                priority = Priorities.All[i];
                return true;
            }
        }

        priority = default;
        return false;
    }

    /// <summary>The priority's text as received, shared by the items that sent the same (upstreams vary the case of a few words).</summary>
    public byte[] AsReceived(ReadOnlySpan<byte> raw)
    {
        foreach (var known in _priorityTexts)
        {
            if (raw.SequenceEqual(known))
            {
                return known;
            }
        }

        var text = raw.ToArray();
        if (_priorityTexts.Count < KnownPriorityTexts)
        {
            _priorityTexts.Add(text);
        }

        return text;
    }
}
