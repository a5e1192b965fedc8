using System.Text;
using IncidentService.Simulator.Faults;

namespace IncidentService.Simulator.Data;

/// <summary>Writes a feed's <c>{"results": [...]}</c> answer, or one of its content faults.</summary>
internal static class FeedJsonWriter
{
    private static readonly string[] UnknownPriorities = ["urgent", "informational", "", "p1"];

    /// <summary>Content faults touch only items whose grid index is 3 mod 10: a stable minority as the window moves.</summary>
    public static bool IsBroken(GeneratedIncident incident) => incident.Index % 10 == 3;

    public static byte[] Write(FeedLayout layout, IReadOnlyList<GeneratedIncident> items, SimulatorFaultKind fault)
    {
        var json = new StringBuilder(64 + (items.Count * 110));
        switch (fault)
        {
            case SimulatorFaultKind.ResultsMissing:
                json.Append("{\"detail\": \"Incidents moved.\", \"data\": ");
                break;
            case SimulatorFaultKind.ResultsNotArray:
                return PythonJson.Bytes(json.Append("{\"results\": {\"detail\": \"Temporarily unavailable.\"}}"));
            default:
                json.Append("{\"results\": ");
                break;
        }

        json.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                json.Append(", ");
            }

            WriteItem(json, layout, items[i], IsBroken(items[i]) ? fault : SimulatorFaultKind.None);
        }

        // The same envelope naming its results a second time, empty: what a buggy pager or proxy merge sends.
        return PythonJson.Bytes(json.Append(fault == SimulatorFaultKind.ResultsTwice ? "], \"results\": []}" : "]}"));
    }

    private static void WriteItem(StringBuilder json, FeedLayout layout, GeneratedIncident item, SimulatorFaultKind fault)
    {
        var wrongShape = fault == SimulatorFaultKind.WrongShapeItems ? (int)(item.Index / 10 % 7) : -1;
        switch (wrongShape)
        {
            case 0:
                json.Append("\"corrupted\"");
                return;
            case 1:
                json.Append("null");
                return;
            case 2:
                json.Append("[]");
                return;
        }

        json.Append('{');
        var first = true;
        for (var f = 0; f < layout.Fields.Count; f++)
        {
            var field = layout.Fields[f];
            var missing = (wrongShape == 3 && field.Value == FieldValue.Priority)
                || (wrongShape == 4 && field.Value == FieldValue.Timestamp)
                || (wrongShape == 5 && f == layout.IdentityField);
            if (missing)
            {
                continue;
            }

            if (!first)
            {
                json.Append(", ");
            }

            first = false;
            PythonJson.Key(json, field.Name);
            if (wrongShape == 6 && f == layout.IdentityField)
            {
                json.Append(layout.Identity switch { IdentityKind.EmployeeId => "\"n/a\"", IdentityKind.Ip => "1234", _ => "true" });
                continue;
            }

            WriteValue(json, field.Value, item, fault);
        }

        json.Append('}');
    }

    private static void WriteValue(StringBuilder json, FieldValue value, GeneratedIncident item, SimulatorFaultKind fault)
    {
        switch (value)
        {
            case FieldValue.Priority:
                PythonJson.String(json, fault == SimulatorFaultKind.UnknownPriority ? UnknownPriorities[item.Index / 10 % UnknownPriorities.Length] : item.Priority);
                break;
            case FieldValue.Timestamp when fault == SimulatorFaultKind.TimestampAsString:
                PythonJson.String(json, PythonJson.FormatTimestamp(item.Ticks));
                break;
            case FieldValue.Timestamp:
                PythonJson.Timestamp(json, item.Ticks);
                break;
            case FieldValue.EmployeeId:
                PythonJson.Int(json, item.EmployeeId);
                break;
            case FieldValue.InternalIp:
                PythonJson.String(json, item.Ip ?? string.Empty);
                break;
            case FieldValue.ExternalIp:
                PythonJson.String(json, item.ExternalIp);
                break;
            case FieldValue.Identifier when item.Ip is null:
                PythonJson.Int(json, item.EmployeeId);
                break;
            case FieldValue.Identifier:
                PythonJson.String(json, item.Ip);
                break;
        }
    }
}
