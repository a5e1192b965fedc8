using System.ComponentModel.DataAnnotations;

namespace IncidentService.Upstream;

/// <summary>
/// A <see cref="RangeAttribute"/> whose message is always its <see cref="ValidationAttribute.ErrorMessage"/>. The
/// options validation generator replaces a plain <c>[Range]</c> with a copy of its own that drops the message; an
/// attribute of another type it calls as it is.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}
