using System.Globalization;
using System.Net;
using System.Text.Json;

namespace IncidentService.Core.Parsing;

/// <summary>What an incident's identity field says about its person, before the identities are consulted.</summary>
public readonly record struct IdentityReference(IdentityKind Kind, long EmployeeId, string? Ip)
{
    public static IdentityReference Missing { get; } = new(IdentityKind.Missing, 0, null);

    public static IdentityReference Malformed { get; } = new(IdentityKind.Malformed, 0, null);

    /// <summary>
    /// A JSON integer or an all-digit string is an employee id; a string that is an IPv4 or IPv6 address is
    /// looked up in the identities; anything else is malformed.
    /// </summary>
    public static IdentityReference From(JsonElement? value)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return Missing;
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetInt64(out var id) && id >= 0 => Employee(id),
            JsonValueKind.String => FromText(element.GetString()!),
            _ => Malformed,
        };
    }

    public static IdentityReference FromText(string text)
    {
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? Employee(id) : Malformed;
        }

        return TryNormalizeIp(text, out var ip) ? new(IdentityKind.Ip, 0, ip) : Malformed;
    }

    /// <summary>
    /// Accepts only dotted-quad IPv4 and IPv6 text: <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone
    /// also takes forms such as "1" or "1.2", which no upstream means as an address.
    /// </summary>
    public static bool TryNormalizeIp(string text, out string normalized)
    {
        if (IsPrintedIPv4(text))
        {
            normalized = text;
            return true;
        }

        normalized = "";
        var looksLikeIp = text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;
        if (!looksLikeIp || !IPAddress.TryParse(text, out var address))
        {
            return false;
        }

        normalized = address.ToString();
        return true;
    }

    /// <summary>
    /// Dotted-quad IPv4 exactly as <see cref="IPAddress.ToString()"/> prints it (parts 0–255, no leading zeros) is its
    /// own normal form: almost every address an upstream sends, read without parsing and printing it again.
    /// </summary>
    internal static bool IsPrintedIPv4(ReadOnlySpan<char> text) => PrintedIPv4.TryRead(text, out _);

    internal static IdentityReference Employee(long id) => new(IdentityKind.Employee, id, null);
}

/// <summary>What an identity field names: nothing, nothing readable, an employee, or an IP address to look up.</summary>
public enum IdentityKind : byte
{
    Missing,
    Malformed,
    Employee,
    Ip,
}
