using System.Text.Json;
using IncidentService.Core.Parsing;

namespace IncidentService.Tests.Core;

public sealed class IdentityReferenceTests
{
    [Theory]
    [InlineData("4506", 4506)]
    [InlineData("\"4506\"", 4506)]
    [InlineData("\"004506\"", 4506)]
    [InlineData("0", 0)]
    public void Json_integers_and_all_digit_strings_are_employee_ids(string json, long expected)
    {
        var identity = IdentityReference.From(Element(json));

        Assert.Equal(IdentityKind.Employee, identity.Kind);
        Assert.Equal(expected, identity.EmployeeId);
    }

    [Theory]
    [InlineData("\"17.24.153.5\"", "17.24.153.5")]
    [InlineData("\"2001:db8::1\"", "2001:db8::1")]
    [InlineData("\"2001:DB8:0::1\"", "2001:db8::1")]
    public void Address_strings_are_ips_to_look_up(string json, string expected)
    {
        var identity = IdentityReference.From(Element(json));

        Assert.Equal(IdentityKind.Ip, identity.Kind);
        Assert.Equal(expected, identity.Ip);
    }

    [Theory]
    [InlineData("\"not an ip\"")]
    [InlineData("\"1.2\"")]
    [InlineData("\"300.1.1.1\"")]
    [InlineData("\"\"")]
    [InlineData("12.5")]
    [InlineData("-3")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("\"99999999999999999999\"")]
    public void Anything_else_is_malformed(string json)
    {
        Assert.Equal(IdentityKind.Malformed, IdentityReference.From(Element(json)).Kind);
    }

    [Fact]
    public void Absent_or_null_identity_is_missing()
    {
        Assert.Equal(IdentityKind.Missing, IdentityReference.From(null).Kind);
        Assert.Equal(IdentityKind.Missing, IdentityReference.From(Element("null")).Kind);
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("17.24.153.5", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("256.1.1.1", false)]
    [InlineData("1.2.3.256", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3.04", false)]
    [InlineData("1.2.3.00", false)]
    [InlineData("1.2.3", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("1..3.4", false)]
    [InlineData(".1.2.3", false)]
    [InlineData("1.2.3.", false)]
    [InlineData("1.2.3.4 ", false)]
    [InlineData("1.2.3.a", false)]
    [InlineData("1.2.3.٤", false)]
    [InlineData("1000.1.1.1", false)]
    [InlineData("::ffff:1.2.3.4", false)]
    [InlineData("0x1.2.3.4", false)]
    public void Printed_ipv4_is_read_as_the_address_parser_reads_it(string text, bool printed)
    {
        var parsed = (text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3) && System.Net.IPAddress.TryParse(text, out var address) ? address.ToString() : null;

        Assert.Equal(printed, IdentityReference.IsPrintedIPv4(text));
        Assert.True(!printed || parsed == text);
        Assert.Equal(parsed is not null, IdentityReference.TryNormalizeIp(text, out var normalized));
        Assert.Equal(parsed ?? "", normalized);
    }

    private static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
