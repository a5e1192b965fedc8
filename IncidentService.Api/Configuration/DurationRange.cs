using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace IncidentService.Api.Configuration;

/// <summary>
/// Durations in configuration are written hh:mm:ss and stay within a sane range. TimeSpan reads a bare number as days,
/// so <c>--Refresh:Interval 30</c> would mean 30 days; a duration without a colon is refused, and so is one outside
/// the property's <see cref="RangeAttribute"/> (typed <see cref="TimeSpan"/>), or outside zero to one day without one.
/// </summary>
internal static class DurationRange
{
    public const string Hint = "use hh:mm:ss, e.g. 00:00:30";

    private static readonly (TimeSpan Minimum, TimeSpan Maximum) Default = (TimeSpan.Zero, TimeSpan.FromDays(1));

    /// <summary>What is wrong with a duration that parses, or null when it is fine.</summary>
    public static string? Problem(PropertyInfo property, string text)
    {
        if (!text.Contains(':', StringComparison.Ordinal))
        {
            return $"'{text}' is not a duration ({Hint})";
        }

        var value = TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        var (minimum, maximum) = Of(property);
        return value < minimum || value > maximum
            ? $"'{text}' is outside {Format(minimum)} to {Format(maximum)} ({Hint})"
            : null;
    }

    private static (TimeSpan Minimum, TimeSpan Maximum) Of(PropertyInfo property) =>
        property.GetCustomAttribute<RangeAttribute>() is { OperandType: var type } range && type == typeof(TimeSpan)
            ? (Parse(range.Minimum), Parse(range.Maximum))
            : Default;

    private static TimeSpan Parse(object bound) => TimeSpan.Parse((string)bound, CultureInfo.InvariantCulture);

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
