using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IncidentService.Simulator.Faults;

/// <summary>
/// A fault switch. Text form (configuration, <c>/_simulator/faults</c>): <c>Kind</c> or <c>Kind:number</c>, where the
/// number is <see cref="Factor"/> for Slow/IdentitiesShrunk/IdentitiesChurned, <see cref="RetryAfter"/> in seconds for the
/// Retry-After kinds and <see cref="Duration"/> in seconds for HangIgnoringAbort, e.g. <c>Slow:3</c>,
/// <c>TooManyRequests:5</c>, <c>IdentitiesShrunk:0.1</c>, <c>HangIgnoringAbort:150</c>.
/// </summary>
/// <param name="Kind">What happens.</param>
/// <param name="Factor">Slow: latency multiplier; IdentitiesShrunk: share of entries kept; IdentitiesChurned: share of entries moved.</param>
/// <param name="RetryAfter">UnavailableRetryAfter/TooManyRequests: the Retry-After sent (default 1 s).</param>
/// <param name="Duration">HangIgnoringAbort: how long the request is worked on (default <see cref="DefaultHang"/>).</param>
[TypeConverter(typeof(SimulatorFaultConverter))]
public sealed record SimulatorFault(SimulatorFaultKind Kind, double Factor = 1.0, TimeSpan? RetryAfter = null, TimeSpan? Duration = null)
{
    /// <summary>HangIgnoringAbort without a number: the hung upstream seen in the field, 150 s.</summary>
    public static readonly TimeSpan DefaultHang = TimeSpan.FromSeconds(150);

    public static SimulatorFault None { get; } = new(SimulatorFaultKind.None);

    public static SimulatorFault Parse(string text) =>
        TryParse(text, out var fault)
            ? fault
            : throw new FormatException($"'{text}' is not a simulator fault; expected Kind or Kind:number with Kind one of {string.Join(", ", Enum.GetNames<SimulatorFaultKind>())}.");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SimulatorFault? fault)
    {
        fault = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (!Enum.TryParse<SimulatorFaultKind>(parts[0], ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return false;
        }

        if (parts.Length == 1)
        {
            fault = kind == SimulatorFaultKind.None ? None : new SimulatorFault(kind);
            return true;
        }

        if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || !double.IsFinite(number))
        {
            return false;
        }

        fault = kind switch
        {
            _ when UsesRetryAfter(kind) => new SimulatorFault(kind, RetryAfter: TimeSpan.FromSeconds(number)),
            SimulatorFaultKind.HangIgnoringAbort => new SimulatorFault(kind, Duration: TimeSpan.FromSeconds(number)),
            _ => new SimulatorFault(kind, Factor: number),
        };
        return true;
    }

    /// <summary>The text form accepted by <see cref="Parse"/>.</summary>
    public override string ToString()
    {
        if (UsesRetryAfter(Kind) && RetryAfter is { } retryAfter)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Kind}:{retryAfter.TotalSeconds}");
        }

        if (Kind == SimulatorFaultKind.HangIgnoringAbort && Duration is { } duration)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Kind}:{duration.TotalSeconds}");
        }

        return Factor != 1.0 && Kind is SimulatorFaultKind.Slow or SimulatorFaultKind.IdentitiesShrunk or SimulatorFaultKind.IdentitiesChurned
            ? string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Factor}")
            : Kind.ToString();
    }

    internal static bool UsesRetryAfter(SimulatorFaultKind kind) =>
        kind is SimulatorFaultKind.UnavailableRetryAfter or SimulatorFaultKind.TooManyRequests;
}
