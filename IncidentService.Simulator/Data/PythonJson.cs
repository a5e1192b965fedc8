using System.Globalization;
using System.Text;

namespace IncidentService.Simulator.Data;

/// <summary>
/// Byte-exact JSON in the upstream's style (Python's <c>json.dumps</c>: <c>", "</c> and <c>": "</c> separators).
/// Written by hand because Utf8JsonWriter cannot produce those separators nor guarantee a number's digits; every
/// string written here is ASCII without characters that need escaping (names, priorities, IPs).
/// </summary>
internal static class PythonJson
{
    public static void String(StringBuilder json, string value) => json.Append('"').Append(value).Append('"');

    public static void Int(StringBuilder json, long value) => json.Append(value.ToString(CultureInfo.InvariantCulture));

    public static void Key(StringBuilder json, string name) => json.Append('"').Append(name).Append("\": ");

    /// <summary>Epoch seconds with up to 7 fractional digits in shortest form: 1629256473.8273933, 1629256473.5.</summary>
    public static void Timestamp(StringBuilder json, long ticks) => json.Append(FormatTimestamp(ticks));

    public static string FormatTimestamp(long ticks)
    {
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var fraction = ticks % TimeSpan.TicksPerSecond;
        var text = seconds.ToString(CultureInfo.InvariantCulture);
        return fraction == 0 ? text : text + "." + fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public static byte[] Bytes(StringBuilder json) => Encoding.UTF8.GetBytes(json.ToString());
}
