using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using IncidentService.Core.Parsing;

namespace IncidentService.Core;

/// <summary>
/// An upstream incident as received: its fields in their original order with their exact JSON text, plus what the
/// service needs to place it (priority, timestamp, identity). Made on demand from its batch's columns
/// (<see cref="FeedIncidents"/>), for inspection and storage; the build reads the columns themselves.
/// </summary>
public sealed record Incident
{
    internal Incident(string feed, Priority priority, decimal timestamp, IdentityReference identity, ReadOnlyMemory<byte> json, byte[]? priorityAsReceived)
    {
        (Feed, Priority, Timestamp, Identity, Json, PriorityAsReceived) = (feed, priority, timestamp, identity, json, priorityAsReceived);
    }

    public string Feed { get; }

    public Priority Priority { get; }

    public decimal Timestamp { get; }

    public IdentityReference Identity { get; }

    /// <summary>
    /// The incident exactly as served, UTF-8: <c>{"type": feed, ...fields}</c>, compact, each name as the serializer
    /// writes it, each value as received except the priority, written lower-case. Kept once per incident rather than
    /// as strings, so that a parsed answer costs about its served size and building is copying (here: a view of the
    /// batch's arena).
    /// </summary>
    internal ReadOnlyMemory<byte> Json { get; }

    /// <summary>The priority's value as received when that is not what is served (<c>"High"</c>), else null.</summary>
    internal byte[]? PriorityAsReceived { get; }

    /// <summary>The fields as received, read back from <see cref="Json"/> (allocates: for storage and inspection, not the build).</summary>
    public ImmutableArray<IncidentField> Fields
    {
        get
        {
            var fields = ImmutableArray.CreateBuilder<IncidentField>();
            var span = Json.Span;
            var reader = new Utf8JsonReader(span);
            reader.Read();
            reader.Read();
            reader.Read(); // past our own "type"
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                var received = PriorityAsReceived is not null && reader.ValueTextEquals("priority"u8) ? PriorityAsReceived : null;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                fields.Add(new IncidentField(name, Encoding.UTF8.GetString(received ?? span[start..(int)reader.BytesConsumed])));
            }

            return fields.DrainToImmutable();
        }
    }
}
