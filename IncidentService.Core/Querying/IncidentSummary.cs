using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace IncidentService.Core.Querying;

/// <summary>
/// Counts for dashboards, so that totals never need the whole body: per employee and priority, and totals per
/// priority and per feed. Every priority and every configured feed is always present, zero or not.
/// </summary>
public static class IncidentSummary
{
    /// <summary>
    /// <c>{"total":n,"priorities":{…},"feeds":{"denial":{"total":n,"low":n,…},…},"employees":{"1001":{"total":n,"low":n,…},…}}</c>
    /// of the incidents <paramref name="filter"/> lets through; employees with none are left out, as in <c>/incidents</c>.
    /// </summary>
    public static byte[] Write(IncidentIndex index, IncidentFilter filter, IEnumerable<string> feeds)
    {
        var total = new int[Priorities.All.Count];
        var byFeed = feeds.ToDictionary(f => f, _ => new int[Priorities.All.Count], StringComparer.Ordinal);
        var byEmployee = new SortedDictionary<long, int[]>();
        foreach (var incident in index.Matching(filter))
        {
            var p = (int)incident.Priority;
            total[p]++;
            if (!byFeed.TryGetValue(incident.Feed, out var feed))
            {
                byFeed[incident.Feed] = feed = new int[Priorities.All.Count]; // a feed no longer configured still counts
            }

            feed[p]++;
            if (!byEmployee.TryGetValue(incident.EmployeeId, out var employee))
            {
                byEmployee[incident.EmployeeId] = employee = new int[Priorities.All.Count];
            }

            employee[p]++;
        }

        var buffer = new ArrayBufferWriter<byte>(256 + (byEmployee.Count * 80));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("total", total.Sum());
            writer.WritePropertyName("priorities");
            WritePriorities(writer, total, withTotal: false);
            writer.WriteStartObject("feeds");
            foreach (var (feed, counts) in byFeed.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(feed);
                WritePriorities(writer, counts, withTotal: true);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("employees");
            foreach (var (employeeId, counts) in byEmployee)
            {
                writer.WritePropertyName(employeeId.ToString(CultureInfo.InvariantCulture));
                WritePriorities(writer, counts, withTotal: true);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WritePriorities(Utf8JsonWriter writer, int[] counts, bool withTotal)
    {
        writer.WriteStartObject();
        if (withTotal)
        {
            writer.WriteNumber("total", counts.Sum());
        }

        foreach (var priority in Priorities.All)
        {
            writer.WriteNumber(Priorities.Name(priority), counts[(int)priority]);
        }

        writer.WriteEndObject();
    }
}
