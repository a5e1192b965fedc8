using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// With CORS on, every answer depends on the request's Origin (an allowed one gets the CORS headers, any other not):
/// a shared cache must not hand an answer stored for one origin, or for none, to another.
/// </summary>
internal static class OriginVary
{
    /// <summary>Adds <c>Origin</c> to <c>Vary</c> unless it is there already (the CORS middleware adds it for some policies).</summary>
    public static void Add(IHeaderDictionary headers)
    {
        if (!Names(headers.Vary))
        {
            headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        }
    }

    private static bool Names(StringValues vary)
    {
        foreach (var value in vary)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (name.Equals(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
