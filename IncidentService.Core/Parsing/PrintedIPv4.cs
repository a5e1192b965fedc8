using System.Globalization;

namespace IncidentService.Core.Parsing;

/// <summary>
/// A dotted-quad IPv4 address exactly as <see cref="System.Net.IPAddress.ToString()"/> prints it (parts 0–255, no
/// leading zeros) is its own normal form, and one number prints back to exactly that text. Almost every address an
/// upstream sends is one, so it is kept as 4 bytes rather than as a string of 40 or more.
/// </summary>
internal static class PrintedIPv4
{
    private const int LongestText = 15; // 255.255.255.255

    public static bool TryRead(ReadOnlySpan<char> text, out uint address)
    {
        var (dots, value, digits) = (0, 0u, 0);
        address = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0)
                {
                    return false;
                }

                (address, dots, value, digits) = ((address << 8) | value, dots + 1, 0, 0);
            }
            else if (!char.IsAsciiDigit(c) || (digits == 1 && value == 0) || (value = (value * 10) + (uint)(c - '0')) > 255)
            {
                return false;
            }
            else
            {
                digits++;
            }
        }

        address = (address << 8) | value;
        return dots == 3 && digits > 0;
    }

    /// <summary>The same for UTF-8 text as received (unescaped): a printed address is ASCII, so anything longer or wider is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, out uint address)
    {
        address = 0;
        if (utf8.Length > LongestText)
        {
            return false;
        }

        Span<char> text = stackalloc char[LongestText];
        for (var i = 0; i < utf8.Length; i++)
        {
            text[i] = (char)utf8[i]; // a byte above ASCII becomes a char that is no digit: not an address
        }

        return TryRead(text[..utf8.Length], out address);
    }

    public static string Print(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");
}
