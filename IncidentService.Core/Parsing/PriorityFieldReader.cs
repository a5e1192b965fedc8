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
    private static readonly byte[][] ServedPriorities = [.. Priorities.Utf8Names.Select(name => (byte[])[(byte)'"', .. name, (byte)'"'])];

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
        for (var i = 0; i < Priorities.Utf8Names.Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(reader.ValueSpan, Priorities.Utf8Names[i]))
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
