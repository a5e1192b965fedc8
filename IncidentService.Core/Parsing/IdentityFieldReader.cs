using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace IncidentService.Core.Parsing;

/// <summary>An item's identity field, read into the form <see cref="FeedIncidents"/> keeps: a kind and one number.</summary>
internal sealed class IdentityFieldReader
{
    private const int StackTextLength = 256;

    // Identities that are neither a number nor a printed IPv4 (IPv6, escaped text) are read once per distinct text.
    private readonly Dictionary<string, (IdentityKind Kind, long Value)> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IdentityKind Kind, long Value)>.AlternateLookup<ReadOnlySpan<char>> _identitiesByText;
    private readonly FeedIncidents _incidents;

    public IdentityFieldReader(FeedIncidents incidents)
    {
        _incidents = incidents;
        _identitiesByText = _identities.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>As <see cref="IdentityReference.From(JsonElement?)"/> reads the same value, in the form the columns keep.</summary>
    public (IdentityKind Kind, long Value) Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return (IdentityKind.Missing, 0);
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var id) && id >= 0 ? (IdentityKind.Employee, id) : (IdentityKind.Malformed, 0);
            case JsonTokenType.String when !reader.ValueIsEscaped && PrintedIPv4.TryRead(reader.ValueSpan, out var address):
                return (IdentityKind.Ip, address);
            case JsonTokenType.String when !reader.ValueIsEscaped && IsDigits(reader.ValueSpan):
                // IdentityReference.FromText: digits alone are an employee id, or malformed when too large for one.
                return Utf8Parser.TryParse(reader.ValueSpan, out long employee, out var consumed) && consumed == reader.ValueSpan.Length
                    ? (IdentityKind.Employee, employee)
                    : (IdentityKind.Malformed, 0);
            case JsonTokenType.String when !reader.ValueIsEscaped && reader.ValueSpan.Length <= StackTextLength:
                Span<char> chars = stackalloc char[StackTextLength];
                var text = chars[..Encoding.UTF8.GetChars(reader.ValueSpan, chars)];
                if (!_identitiesByText.TryGetValue(text, out var identity))
                {
                    var key = text.ToString();
                    identity = Stored(IdentityReference.FromText(key));
                    _identities[key] = identity;
                }

                return identity;
            case JsonTokenType.String:
                return Stored(IdentityReference.FromText(reader.GetString()!));
            default:
                return (IdentityKind.Malformed, 0);
        }
    }

    private static bool IsDigits(ReadOnlySpan<byte> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    private (IdentityKind Kind, long Value) Stored(IdentityReference identity) => identity.Kind switch
    {
        IdentityKind.Employee => (IdentityKind.Employee, identity.EmployeeId),
        IdentityKind.Ip when PrintedIPv4.TryRead(identity.Ip, out var address) => (IdentityKind.Ip, address),
        IdentityKind.Ip => (IdentityKind.Ip, _incidents.AddIpText(identity.Ip!)),
        IdentityKind.Missing => (IdentityKind.Missing, 0),
        _ => (IdentityKind.Malformed, 0),
    };
}
