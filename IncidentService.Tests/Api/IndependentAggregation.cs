using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IncidentService.Tests.Api;

/// <summary>
/// SPEC §3 computed again, from the upstream's raw answers, without any of the service's code: the yardstick the
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

    public static async Task<string> FromUpstreamAsync(Uri upstream, string username, string password)
    {
        using var http = new HttpClient { BaseAddress = upstream };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        using var identitiesDoc = JsonDocument.Parse(await http.GetStringAsync("identities/"));
        var identities = identitiesDoc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

        var byEmployee = new SortedDictionary<long, Dictionary<string, List<(decimal Time, string Json)>>>();
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
                if (!byEmployee.TryGetValue(employee.Value, out var priorities))
                {
                    priorities = PriorityOrder.ToDictionary(p => p, _ => new List<(decimal, string)>());
                    byEmployee[employee.Value] = priorities;
                }

                priorities[priority].Add((time, json));
            }
        }

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
