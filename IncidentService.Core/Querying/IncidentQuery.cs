using System.Collections.Immutable;
using System.Globalization;

namespace IncidentService.Core.Querying;

/// <summary>
/// Reads the query string of <c>/incidents</c> and <c>/incidents/summary</c> into an <see cref="IncidentFilter"/>. Nothing
/// is ignored: an unknown parameter, a repeated bound or a bad value is refused, naming the parameter.
/// </summary>
public static class IncidentQuery
{
    public const string Priority = "priority";
    public const string Since = "since";
    public const string Until = "until";
    public const string Type = "type";

    public static ImmutableArray<string> Parameters { get; } = [Priority, Since, Until, Type];

    /// <param name="query">Each parameter name with its values, as the request carried them.</param>
    /// <param name="feeds">The feed names a <c>type</c> may take.</param>
    public static IncidentQueryResult Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> query, IReadOnlyCollection<string> feeds)
    {
        var filter = IncidentFilter.Everything;
        foreach (var (name, values) in query)
        {
            var step = name.ToLowerInvariant() switch
            {
                Priority => ParsePriorities(values, filter),
                Type => ParseTypes(values, feeds, filter),
                Since => ParseBound(Since, values, bound => filter with { Since = bound }),
                Until => ParseBound(Until, values, bound => filter with { Until = bound }),
                _ => new InvalidQuery(name, $"unknown query parameter; the known ones are {string.Join(", ", Parameters)}"),
            };
            if (step is not ValidQuery valid)
            {
                return step;
            }

            filter = valid.Filter;
        }

        return filter is { Since: { } since, Until: { } until } && until <= since
            ? new InvalidQuery(Until, $"must be later than since ({since.ToString(CultureInfo.InvariantCulture)})")
            : new ValidQuery(filter);
    }

    private static IncidentQueryResult ParsePriorities(IReadOnlyList<string?> values, IncidentFilter filter)
    {
        var priorities = filter.Priorities.ToBuilder();
        foreach (var item in Items(values))
        {
            if (!Priorities.TryParse(item, out var priority))
            {
                return new InvalidQuery(Priority, $"'{item}' is not a priority; one or more of low, medium, high, critical");
            }

            priorities.Add(priority);
        }

        return priorities.Count == 0 ? Empty(Priority) : new ValidQuery(filter with { Priorities = priorities.ToImmutable() });
    }

    private static IncidentQueryResult ParseTypes(IReadOnlyList<string?> values, IReadOnlyCollection<string> feeds, IncidentFilter filter)
    {
        var types = filter.Types.ToBuilder();
        foreach (var item in Items(values))
        {
            if (!feeds.Contains(item))
            {
                return new InvalidQuery(Type, $"'{item}' is not a feed; one or more of {string.Join(", ", feeds)}");
            }

            types.Add(item);
        }

        return types.Count == 0 ? Empty(Type) : new ValidQuery(filter with { Types = types.ToImmutable() });
    }

    private static IncidentQueryResult ParseBound(string name, IReadOnlyList<string?> values, Func<decimal, IncidentFilter> apply)
    {
        if (values.Count != 1)
        {
            return new InvalidQuery(name, "given more than once");
        }

        // Epoch seconds as the feeds write them: digits, optionally a fraction; no sign, exponent or spaces.
        return decimal.TryParse(values[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bound)
            ? new ValidQuery(apply(bound))
            : new InvalidQuery(name, $"'{values[0]}' is not a time in epoch seconds, such as 1500000000 or 1500000000.5");
    }

    /// <summary>Values may repeat the parameter (<c>priority=high&amp;priority=critical</c>) or list them (<c>priority=high,critical</c>).</summary>
    private static IEnumerable<string> Items(IReadOnlyList<string?> values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static InvalidQuery Empty(string name) => new(name, "needs a value");
}

/// <summary>What a query string asks for: a filter, or the parameter at fault.</summary>
public abstract record IncidentQueryResult;

public sealed record ValidQuery(IncidentFilter Filter) : IncidentQueryResult;

/// <summary>The query names <paramref name="Parameter"/> wrongly; <paramref name="Problem"/> says how, for a person.</summary>
public sealed record InvalidQuery(string Parameter, string Problem) : IncidentQueryResult;
