using Microsoft.Extensions.Primitives;

namespace IncidentService.Api.Web.Serving;

/// <summary>
/// Proactive negotiation of a content coding by <c>Accept-Encoding</c>, as RFC 9110 §12.5.3 defines it: codings listed
/// with q=0 are refused; <c>*</c> stands for every coding not listed; identity is acceptable unless refused by
/// <c>identity;q=0</c> or by <c>*;q=0</c> without an entry of its own; no header accepts anything, and an empty one
/// only identity. Among the acceptable codings the highest q wins; a tie goes to the smaller (br, then gzip, then
/// identity). Allocates nothing: it runs on every request.
/// </summary>
public static class AcceptEncoding
{
    /// <summary>
    /// The coding to answer with among <paramref name="available"/> (identity is always among them), or null when
    /// none is acceptable (406).
    /// </summary>
    public static ContentCoding? Negotiate(StringValues header, ReadOnlySpan<ContentCoding> available)
    {
        if (header.Count == 0)
        {
            // Any coding would be allowed, but a client that sends no Accept-Encoding (curl, scripts) may decode none.
            return ContentCoding.Identity;
        }

        Span<int> q = stackalloc int[ContentCodings.All.Length]; // thousandths; -1 when the coding is not listed
        q.Fill(-1);
        var star = -1;
        foreach (var value in header)
        {
            Read(value, q, ref star);
        }

        ContentCoding? chosen = null;
        var best = 0;
        foreach (var coding in available)
        {
            var weight = Weight(coding, q, star);
            if (weight > best || (weight == best && weight > 0 && coding < chosen))
            {
                (chosen, best) = (coding, weight);
            }
        }

        return chosen;
    }

    /// <summary>How much the client wants <paramref name="coding"/>, in thousandths; 0 is not at all.</summary>
    private static int Weight(ContentCoding coding, ReadOnlySpan<int> q, int star)
    {
        var listed = q[(int)coding];
        if (listed >= 0)
        {
            return listed;
        }

        if (star >= 0)
        {
            return star;
        }

        // Not listed and no "*": identity stays acceptable (with the least weight), any other coding is not.
        return coding == ContentCoding.Identity ? 1 : 0;
    }

    /// <summary>Reads one field line: <c>coding [; q=value]</c> elements, comma-separated. An element it cannot read is ignored.</summary>
    private static void Read(ReadOnlySpan<char> value, Span<int> q, ref int star)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf(',');
            var element = comma < 0 ? value : value[..comma];
            value = comma < 0 ? [] : value[(comma + 1)..];

            var semicolon = element.IndexOf(';');
            var name = (semicolon < 0 ? element : element[..semicolon]).Trim(" \t");
            if (name.IsEmpty)
            {
                continue;
            }

            var weight = 1000;
            if (semicolon >= 0 && !TryReadWeight(element[(semicolon + 1)..], out weight))
            {
                continue;
            }

            if (name is "*")
            {
                star = Math.Max(star, weight);
            }
            else if (Index(name) is { } index)
            {
                // Listed twice (a client's bug): the more generous entry counts.
                q[index] = Math.Max(q[index], weight);
            }
        }
    }

    private static int? Index(ReadOnlySpan<char> name) => ContentCodings.Named(name) is { } coding ? (int)coding : null;

    /// <summary>The parameters after the coding: <c>q=0</c>, <c>q=0.5</c>, <c>q=1.000</c> (RFC 9110 §12.4.2); false when malformed.</summary>
    private static bool TryReadWeight(ReadOnlySpan<char> parameters, out int weight)
    {
        weight = 1000;
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim(" \t");
            if (parameter.Length < 2 || (parameter[0] | 0x20) != 'q' || parameter[1] != '=')
            {
                continue; // another parameter: not defined for codings, ignored
            }

            return TryReadQValue(parameter[2..], out weight);
        }

        return true;
    }

    /// <summary><c>qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )</c>, in thousandths.</summary>
    internal static bool TryReadQValue(ReadOnlySpan<char> text, out int thousandths)
    {
        thousandths = 0;
        if (text.IsEmpty || text[0] is not ('0' or '1') || (text.Length > 1 && (text[1] != '.' || text.Length > 5)))
        {
            return false;
        }

        var value = (text[0] - '0') * 1000;
        var scale = 100;
        foreach (var digit in text.Length > 2 ? text[2..] : [])
        {
            if (!char.IsAsciiDigit(digit))
            {
                return false;
            }

            value += (digit - '0') * scale;
            scale /= 10;
        }

        if (value > 1000)
        {
            return false;
        }

        thousandths = value;
        return true;
    }
}
