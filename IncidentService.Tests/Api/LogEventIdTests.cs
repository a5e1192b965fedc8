using System.Reflection;
using System.Text.RegularExpressions;
using IncidentService.Upstream;
using Microsoft.Extensions.Logging;

namespace IncidentService.Tests.Api;

/// <summary>
/// Every log event of the service has an id of its own, and the operations guide (docs/operations.md, "Logs") lists
/// each one: an operator filters and alerts on the ids, so one added, changed or reused without the list is a defect.
/// </summary>
public sealed partial class LogEventIdTests
{
    private static readonly Assembly[] ServiceAssemblies = [typeof(Program).Assembly, typeof(UpstreamOptions).Assembly];

    [Fact]
    public void No_two_log_events_of_the_service_share_an_id()
    {
        var shared = LoggedEvents()
            .GroupBy(e => e.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}")
            .ToList();

        Assert.Empty(shared);
    }

    [Fact]
    public void The_operations_guide_lists_every_log_event_id_the_service_logs_and_no_other()
    {
        var logged = LoggedEvents().Select(e => e.Id).ToHashSet();
        var listed = ListedIds();

        Assert.Empty(logged.Except(listed).Order());
        Assert.Empty(listed.Except(logged).Order());
    }

    [Fact]
    public void The_reflection_and_the_table_reading_find_the_events()
    {
        // A reflection or a table reading that found nothing would make the two checks above pass on anything.
        var ids = LoggedEvents().Select(e => e.Id).ToHashSet();
        Assert.Contains(100, ids); // the refresh cycle summary
        Assert.Contains(201, ids); // a refused credential
        Assert.Contains(100, ListedIds());
        Assert.Contains(201, ListedIds());
    }

    private static IEnumerable<(int Id, string Method)> LoggedEvents() =>
        from assembly in ServiceAssemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (attribute.EventId, $"{type.Name}.{method.Name}");

    /// <summary>The first column of the table under "## Logs".</summary>
    private static HashSet<int> ListedIds()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "operations.md"));
        var start = guide.IndexOf("\n## Logs\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/operations.md has no \"## Logs\" section");
        var end = guide.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? guide[start..] : guide[start..end];
        return [.. TableRow().Matches(section).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"^\| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IncidentService.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("IncidentService.sln not found above the test's directory");
    }
}
