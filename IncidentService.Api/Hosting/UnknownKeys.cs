using System.Reflection;
using IncidentService.Simulator;
using IncidentService.Upstream;

namespace IncidentService.Api.Hosting;

/// <summary>
/// Keys under the service's own sections that no options class reads, each with the nearest known key: the binder
/// ignores them, so a misspelt <c>Refresh:Intervall</c> would otherwise leave the default in force without a word.
/// The sections and their keys are the options classes themselves, found by their <c>SectionName</c> constant, so a
/// new options class (or a new property) is known as soon as it exists.
/// </summary>
internal static class UnknownKeys
{
    private static readonly Assembly[] OptionsAssemblies =
        [typeof(UnknownKeys).Assembly, typeof(UpstreamOptions).Assembly, typeof(SimulatorOptions).Assembly];

    /// <summary>Logs one warning per unknown key.</summary>
    public static WebApplication WarnAboutUnknownKeys(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnknownKeys).FullName!);
        foreach (var (key, nearest) in Find(app.Configuration))
        {
            HostingLog.UnknownKey(logger, key, nearest);
        }

        return app;
    }

    /// <summary>Each section name with the options classes bound from it.</summary>
    public static ILookup<string, Type> Sections() => OptionsAssemblies
        .SelectMany(assembly => assembly.GetTypes())
        .Select(type => (Type: type, Name: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? field.GetRawConstantValue() as string : null))
        .Where(section => section.Name is not null)
        .ToLookup(section => section.Name!, section => section.Type, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<(string Key, string Nearest)> Find(IConfiguration configuration) =>
        Sections().SelectMany(section => Unknown([.. section], configuration.GetSection(section.Key)));

    private static IEnumerable<(string Key, string Nearest)> Unknown(IReadOnlyList<Type> types, IConfigurationSection section)
    {
        var properties = types.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Where(p => p.CanWrite).ToList();
        foreach (var child in section.GetChildren())
        {
            var property = properties.Find(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            var found = property is null
                ? [(child.Path, $"{section.Path}:{Nearest(child.Key, properties.Select(p => p.Name))}")]
                : Below(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, child);
            foreach (var unknown in found)
            {
                yield return unknown;
            }
        }
    }

    /// <summary>Inside a nested options class, its keys; inside a dictionary or list, any names, then their items' keys.</summary>
    private static IEnumerable<(string Key, string Nearest)> Below(Type type, IConfigurationSection value) =>
        ItemType(type) is { } item
            ? IsOptionsClass(item) ? value.GetChildren().SelectMany(child => Unknown([item], child)) : []
            : IsOptionsClass(type) ? Unknown([type], value) : [];

    private static Type? ItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable
            ? enumerable.GetGenericArguments()[0] is { IsGenericType: true } pair && pair.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ? pair.GetGenericArguments()[1] : enumerable.GetGenericArguments()[0]
            : null;

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsGenericType && !type.IsArray && type.GetConstructor(Type.EmptyTypes) is not null;

    private static string Nearest(string key, IEnumerable<string> known) =>
        known.MinBy(name => Distance(key.ToUpperInvariant(), name.ToUpperInvariant())) ?? "(none)";

    /// <summary>Levenshtein distance: the fewest single-character insertions, deletions and substitutions.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
