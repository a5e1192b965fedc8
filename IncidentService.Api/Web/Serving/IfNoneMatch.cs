using Microsoft.Extensions.Primitives;

namespace IncidentService.Api.Web.Serving;

/// <summary>
/// <c>If-None-Match</c> against the tags of one content (RFC 9110 §13.1.2, weak comparison): <c>*</c> matches any,
/// <c>W/"x"</c> matches <c>"x"</c>. Allocates nothing: it runs on every revalidation.
/// </summary>
public static class IfNoneMatch
{
    /// <summary>
    /// The tag to answer 304 with: <paramref name="preferred"/> when it is listed, else the first of
    /// <paramref name="tags"/> that is; null when none is (or the header is absent).
    /// </summary>
    public static string? Match(StringValues header, string[] tags, string preferred)
    {
        string? matched = null;
        foreach (var value in header)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var listed = value.AsSpan()[range].Trim(" \t");
                if (listed.StartsWith("W/", StringComparison.Ordinal))
                {
                    listed = listed[2..];
                }

                if (listed is "*" || listed.SequenceEqual(preferred))
                {
                    return preferred;
                }

                foreach (var tag in tags)
                {
                    if (matched is null && listed.SequenceEqual(tag))
                    {
                        matched = tag;
                    }
                }
            }
        }

        return matched;
    }
}
