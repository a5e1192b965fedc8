using System.Text;
using IncidentService.Core.Parsing;

namespace IncidentService.Tests.Core;

public sealed class PrintedIPv4Tests
{
    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("1.2.3.4", 0x01020304u)]
    [InlineData("17.33.119.155", 0x1121779Bu)]
    [InlineData("255.255.255.255", uint.MaxValue)]
    [InlineData("10.0.0.1", 0x0A000001u)]
    public void A_printed_address_is_one_number_that_prints_back_to_the_same_text(string text, uint expected)
    {
        Assert.True(PrintedIPv4.TryRead(text, out var address));
        Assert.Equal(expected, address);
        Assert.Equal(text, PrintedIPv4.Print(address));
        Assert.True(PrintedIPv4.TryRead(Encoding.UTF8.GetBytes(text), out var fromUtf8));
        Assert.Equal(expected, fromUtf8);
    }

    [Theory]
    [InlineData("1.2.3.4 ")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3")]
    [InlineData("255.255.255.2555")]
    [InlineData("1.2.3.é")]
    [InlineData("1.2.3.٤")]
    [InlineData("")]
    public void Utf8_text_is_an_address_exactly_when_its_characters_are(string text)
    {
        Assert.False(PrintedIPv4.TryRead(text, out _));
        Assert.False(PrintedIPv4.TryRead(Encoding.UTF8.GetBytes(text), out _));
    }
}
