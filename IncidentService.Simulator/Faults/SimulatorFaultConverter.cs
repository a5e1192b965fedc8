using System.ComponentModel;
using System.Globalization;

namespace IncidentService.Simulator.Faults;

/// <summary>Lets the configuration binder read <c>Simulator:Faults:probing=ServerError</c> as a <see cref="SimulatorFault"/>.</summary>
internal sealed class SimulatorFaultConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? SimulatorFault.Parse(text) : base.ConvertFrom(context, culture, value);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is SimulatorFault fault
            ? fault.ToString()
            : base.ConvertTo(context, culture, value, destinationType);
}
