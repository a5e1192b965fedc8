using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Configuration;

/// <summary>
/// Checks, ahead of binding, that every value of a section converts to its option's type. The binder would throw an
/// <see cref="InvalidOperationException"/> for <c>--Refresh:Interval abc</c>; this turns it into the same validation
/// failure as any other bad value, naming the key.
/// </summary>
internal static class ConfigurationTypeCheck
{
    /// <summary>
    /// A section the usual way — type check, binding, validation before the host starts — with its validator: the one
    /// call every options section of the service goes through.
    /// </summary>
    public static IServiceCollection AddCheckedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddCheckedOptions<TOptions>(configuration, sectionName);
    }

    /// <inheritdoc cref="AddCheckedOptions{TOptions, TValidator}"/>
    public static IServiceCollection AddCheckedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        services.AddTypeCheck<TOptions>(configuration, sectionName);
        services.AddOptions<TOptions>().Bind(configuration.GetSection(sectionName)).ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Registers the check alone, for a section another project binds (Upstream); call it before that binding, as
    /// configure actions run in order.
    /// </summary>
    public static IServiceCollection AddTypeCheck<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Configure(_ =>
        {
            var problems = Problems(typeof(TOptions), configuration.GetSection(sectionName)).ToList();
            if (problems.Count > 0)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), problems);
            }
        });
        return services;
    }

    /// <summary>
    /// The section bound now, for a decision taken while services are registered; null when a value does not parse.
    /// The type check then names that value when the options are validated, before the host starts.
    /// </summary>
    public static TOptions? TryGet<TOptions>(IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        try
        {
            return configuration.GetSection(sectionName).Get<TOptions>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    internal static IEnumerable<string> Problems(Type options, IConfigurationSection section)
    {
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var value = section.GetSection(property.Name);
            if (Expected(type) is not { } expected)
            {
                // A nested options class (such as Auth:Jwt) is checked the same way; dictionaries and lists are not.
                foreach (var problem in IsNestedOptions(type) ? Problems(type, value) : [])
                {
                    yield return problem;
                }
            }
            else if (value.Value is { } text && !Converts(type, text))
            {
                // The value is echoed only for types that cannot hold a secret (a URL can carry a password).
                yield return type == typeof(Uri) ? $"{value.Path}: is not {expected}" : $"{value.Path}: '{text}' is not {expected}";
            }
            else if (type == typeof(TimeSpan) && value.Value is { } duration && DurationRange.Problem(property, duration) is { } problem)
            {
                yield return $"{value.Path}: {problem}";
            }
        }
    }

    private static bool IsNestedOptions(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsGenericType && !type.IsArray && type.GetConstructor(Type.EmptyTypes) is not null;

    private static string? Expected(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => $"a duration ({DurationRange.Hint})",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) || type == typeof(decimal) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(Uri) => "a URL",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ => null, // strings, and sections such as dictionaries, bind as they are
    };

    private static bool Converts(Type type, string text)
    {
        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text) is not null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }
}
