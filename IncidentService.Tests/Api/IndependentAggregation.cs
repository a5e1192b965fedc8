using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentService.Tests.Api;

/// <summary>
/// The contract's aggregation (docs/contract.md) computed again, from the upstream's raw answers, without any of the service's code: the yardstick the
/// served <c>/incidents</c> is compared with.
/// </summary>
internal static class IndependentAggregation
{
    private static readonly (string Feed, string Field)[] Feeds =
    [
        ("denial", "reported_by"), ("intrusion", "internal_ip"), ("executable", "machine_ip"), ("misuse", "employee_id"),
        ("unauthorized", "employee_id"), ("probing", "ip"), ("other", "identifier"),
    ];

    private static readonly string[] PriorityOrder = ["low", "medium", "high", "critical"];

    public static async Task<string> FromUpstreamAsync(Uri upstream, string username, string password) =>
        Write(await ReadAsync(upstream, username, password, static (_, _, _) => true));

    /// <summary>The same, of the incidents <paramref name="keep"/> (feed, lower-case priority, timestamp) lets through.</summary>
    public static async Task<string> FromUpstreamAsync(Uri upstream, string username, string password, Func<string, string, decimal, bool> keep) =>
        Write(await ReadAsync(upstream, username, password, keep));

    /// <summary>
    /// The summary of the same incidents: in all, per priority, per feed (every feed) and per employee (those with any),
    /// each count per priority with its total.
    /// </summary>
    public static async Task<JsonNode> SummaryFromUpstreamAsync(Uri upstream, string username, string password, Func<string, string, decimal, bool> keep)
    {
        var byEmployee = await ReadAsync(upstream, username, password, keep);
        var all = byEmployee.Values.SelectMany(p => p.SelectMany(e => e.Value.Select(i => (Priority: e.Key, i.Feed)))).ToList();
        JsonObject Counts(IEnumerable<string> priorities, bool withTotal)
        {
            var list = priorities.ToList();
            var counts = new JsonObject();
            if (withTotal)
            {
                counts["total"] = list.Count;
            }

            foreach (var p in PriorityOrder)
            {
                counts[p] = list.Count(x => x == p);
            }

            return counts;
        }

        var feeds = new JsonObject();
        foreach (var (feed, _) in Feeds)
        {
            feeds[feed] = Counts(all.Where(i => i.Feed == feed).Select(i => i.Priority), withTotal: true);
        }

        var employees = new JsonObject();
        foreach (var (employee, priorities) in byEmployee)
        {
            employees[employee.ToString(CultureInfo.InvariantCulture)] = Counts(priorities.SelectMany(p => p.Value.Select(_ => p.Key)), withTotal: true);
        }

        return new JsonObject
        {
            ["total"] = all.Count,
            ["priorities"] = Counts(all.Select(i => i.Priority), withTotal: false),
            ["feeds"] = feeds,
            ["employees"] = employees,
        };
    }

    private static async Task<SortedDictionary<long, Dictionary<string, List<(decimal Time, string Json, string Feed)>>>> ReadAsync(
        Uri upstream, string username, string password, Func<string, string, decimal, bool> keep)
    {
        using var http = new HttpClient { BaseAddress = upstream };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        using var identitiesDoc = JsonDocument.Parse(await http.GetStringAsync("identities/"));
        var identities = identitiesDoc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

        var byEmployee = new SortedDictionary<long, Dictionary<string, List<(decimal Time, string Json, string Feed)>>>();
        foreach (var (feed, field) in Feeds)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"incidents/{feed}/"));
            foreach (var item in doc.RootElement.GetProperty("results").EnumerateArray())
            {
                var id = item.GetProperty(field);
                long? employee = id.ValueKind == JsonValueKind.Number ? id.GetInt64()
                    : identities.TryGetValue(id.GetString()!, out var e) ? e : null;
                if (employee is null)
                {
                    continue;
                }

                var priority = item.GetProperty("priority").GetString()!.ToLowerInvariant();
                var fields = item.EnumerateObject().Select(p => $"\"{p.Name}\":{(p.Name == "priority" ? $"\"{priority}\"" : p.Value.GetRawText())}");
                var json = $"{{\"type\":\"{feed}\",{string.Join(",", fields)}}}";
                var time = decimal.Parse(item.GetProperty("timestamp").GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!keep(feed, priority, time))
                {
                    continue;
                }

                if (!byEmployee.TryGetValue(employee.Value, out var priorities))
                {
                    priorities = PriorityOrder.ToDictionary(p => p, _ => new List<(decimal, string, string)>());
                    byEmployee[employee.Value] = priorities;
                }

                priorities[priority].Add((time, json, feed));
            }
        }

        return byEmployee;
    }

    private static string Write(SortedDictionary<long, Dictionary<string, List<(decimal Time, string Json, string Feed)>>> byEmployee)
    {
        var output = new StringBuilder("{");
        foreach (var (employee, priorities) in byEmployee)
        {
            output.Append(CultureInfo.InvariantCulture, $"\"{employee}\":{{");
            output.AppendJoin(",", PriorityOrder.Select(p =>
            {
                var sorted = priorities[p].OrderBy(i => i.Time).ThenBy(i => i.Json, StringComparer.Ordinal).Select(i => i.Json);
                return $"\"{p}\":{{\"count\":{priorities[p].Count},\"incidents\":[{string.Join(",", sorted)}]}}";
            }));
            output.Append("},");
        }

        if (output.Length > 1)
        {
            output.Length--;
        }

        return output.Append('}').ToString();
    }
}
