using System.Collections.Immutable;
using System.Text.Json;

namespace IncidentService.Core.Parsing;

/// <summary>One good answer of one feed: its incidents, and how many items were skipped for which reason.</summary>
public sealed record FeedBatch(string Feed, FeedIncidents Incidents, ImmutableSortedDictionary<string, int> Malformed)
{
    public int MalformedCount => Malformed.Values.Sum();

    /// <summary>
    /// Reads <c>{"results": [...]}</c>. A body that is not that shape throws <see cref="FeedFormatException"/>;
    /// a bad item is skipped and counted, never failing its good neighbours. The batch keeps its own copy of what it
    /// uses: <paramref name="json"/> may be reused once this returns.
    /// </summary>
    public static FeedBatch Parse(FeedDefinition feed, ReadOnlyMemory<byte> json) => FeedAnswerReader.Read(feed, json);

    internal static JsonDocument ParseDocument(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            throw new FeedFormatException("The upstream answered with a body that is not valid JSON.", exception);
        }
    }
}
