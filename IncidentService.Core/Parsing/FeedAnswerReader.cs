using System.Collections.Immutable;
using System.Text.Json;

namespace IncidentService.Core.Parsing;

/// <summary>
/// Reads a feed's <c>{"results": [...]}</c> in one pass of <see cref="Utf8JsonReader"/>: no document is built. This
/// reads the envelope and hands the items to <see cref="FeedItemReader"/>. It decides exactly as reading a
/// <see cref="JsonDocument"/> did: the whole body must be JSON (depth 16), and an envelope that names a field twice is
/// refused whole.
/// </summary>
internal static class FeedAnswerReader
{
    private const int MaxDepth = 16;

    public static FeedBatch Read(FeedDefinition feed, ReadOnlyMemory<byte> json)
    {
        var items = new FeedItemReader(feed, json, MaxDepth);
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = MaxDepth });
        bool? resultsIsArray = null;
        var batch = new FeedBatch(feed.Name, new FeedIncidents(feed.Name), ImmutableSortedDictionary<string, int>.Empty);
        (InvalidOperationException? Failure, bool AfterResults) unreadable = (null, false);
        var envelope = new NameSet();
        (bool Any, bool Results) repeated = (false, false);
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isResults = false;
                    try
                    {
                        isResults = IsResults(ref reader);
                    }
                    catch (InvalidOperationException failure)
                    {
                        unreadable = (failure, true);
                    }

                    if (!IsNewEnvelopeName(envelope, ref reader))
                    {
                        repeated = (true, repeated.Results || isResults);
                    }

                    reader.Read();
                    if (repeated.Any)
                    {
                        reader.Skip(); // the answer is refused whole: the rest is only checked to be JSON
                        continue;
                    }

                    if (isResults)
                    {
                        (resultsIsArray, unreadable.AfterResults) = (reader.TokenType == JsonTokenType.StartArray, false);
                    }

                    if (isResults && resultsIsArray == true)
                    {
                        batch = items.ReadItems(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            while (reader.Read())
            {
                // The rest of a root that is no object, then nothing: the reader throws on anything but whitespace.
            }
        }
        catch (JsonException exception)
        {
            throw new FeedFormatException("The upstream answered with a body that is not valid JSON.", exception);
        }

        // Readers disagree on which of two equal names counts (a document takes the last, a stream reader may take the
        // first): an answer that says two things at once is refused whole, not read as either.
        if (repeated.Any)
        {
            throw new FeedFormatException(repeated.Results
                ? $"Feed '{feed.Name}' answered with 'results' named twice in its envelope."
                : $"Feed '{feed.Name}' answered with a field named twice in its envelope.");
        }

        // A document looks for "results" from its last name back and fails on a name it cannot compare before it finds
        // one: that answer is a bad body, like any other the upstream should not have sent.
        if (unreadable is ({ } unreadableName, true))
        {
            throw new FeedFormatException($"Feed '{feed.Name}' answered with a property name that is not text.", unreadableName);
        }

        return resultsIsArray switch
        {
            null => throw new FeedFormatException($"Feed '{feed.Name}' answered without a 'results' property."),
            false => throw new FeedFormatException($"Feed '{feed.Name}' answered with 'results' that is not an array."),
            true => batch,
        };
    }

    /// <summary>
    /// Whether a root name is <c>results</c>, compared as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>
    /// compares it: an escaped name is unescaped only when it is longer and starts as <c>results</c> does up to its first
    /// backslash, and then an escape that is no text (a lone surrogate) throws <see cref="InvalidOperationException"/>.
    /// </summary>
    private static bool IsResults(ref Utf8JsonReader reader)
    {
        var results = "results"u8;
        var name = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return name.SequenceEqual(results);
        }

        var backslash = name.IndexOf((byte)'\\');
        if (name.Length <= results.Length || backslash >= results.Length || !name[..backslash].SequenceEqual(results[..backslash]))
        {
            return false;
        }

        var unescaped = new byte[name.Length];
        return unescaped.AsSpan(0, reader.CopyString(unescaped)).SequenceEqual(results);
    }

    /// <summary>
    /// Adds a root name, compared unescaped, to those seen; false when it was there already. A name whose escapes are
    /// no text cannot be compared and counts as new (it is judged apart, as a document would).
    /// </summary>
    private static bool IsNewEnvelopeName(NameSet envelope, ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return envelope.Add(reader.ValueSpan);
        }

        var unescaped = new byte[reader.ValueSpan.Length];
        try
        {
            return envelope.Add(unescaped.AsSpan(0, reader.CopyString(unescaped)));
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
