using System.Text.RegularExpressions;
using IncidentService.Tests.Api;

namespace IncidentService.Tests.Telemetry;

/// <summary>
/// The service's own series on <c>/metrics</c> are the ones docs/operations.md lists, under the same Prometheus names
/// (so with the same units) and types, each with its help text: the alert rules, the dashboard and operators go by
/// that table.
/// </summary>
public sealed partial class DocumentedMetricsTests
{
    /// <summary>Documented series that need what this service does not have: a cluster, Redis, a refused request, a doubted identities answer.</summary>
    private static readonly string[] Conditional =
    [
        "incidents_auth_failures_total",
        "incidents_identities_doubted_total",
        "incidents_cluster_lease_acquisitions_total",
        "incidents_cluster_lease_losses_total",
        "incidents_cluster_publishes_total",
        "incidents_cluster_redis_errors_total",
        "incidents_cluster_redis_reachable",
        "incidents_cluster_records_installed_total",
        "incidents_cluster_records_rejected_total",
        "incidents_live_events_total",
    ];

    [Fact]
    public async Task Every_series_of_the_service_is_documented_with_its_type_and_described()
    {
        var documented = Documented();
        var exported = await ExportedAsync();

        Assert.All(exported, series =>
        {
            Assert.True(documented.TryGetValue(series.Name, out var type), $"{series.Name} is not in docs/operations.md");
            Assert.Equal(type, series.Type);
            Assert.False(string.IsNullOrWhiteSpace(series.Help), $"{series.Name} has no help text");
        });
        // The exporter reads every meter of this name in the process, so series of other tests' services may show
        // too: each must be documented all the same, and none of the unconditional ones may be missing.
        Assert.Empty(documented.Keys.Except(Conditional).Except(exported.Select(s => s.Name)));
    }

    private static async Task<List<(string Name, string Type, string? Help)>> ExportedAsync()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true);
        using var client = await factory.CreateReadyClientAsync();
        using var answered = await client.GetAsync(new Uri("/incidents", UriKind.Relative));
        answered.EnsureSuccessStatusCode();
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var help = HelpLine().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["text"].Value);
        return [.. TypeLine().Matches(text)
            .Select(m => (Name: m.Groups["name"].Value, Type: m.Groups["type"].Value))
            .Where(s => s.Name.StartsWith("incidents_", StringComparison.Ordinal))
            .Select(s => (s.Name, s.Type, help.GetValueOrDefault(s.Name)))];
    }

    private static Dictionary<string, string> Documented()
    {
        var operations = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "operations.md"));
        return DocumentedRow().Matches(operations).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IncidentService.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("IncidentService.sln not found above the test's directory");
    }

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^# HELP (?<name>\S+) ?(?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^\| `(?<name>incidents_[a-z_]+)` \| (?<type>[a-z]+) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();
}
