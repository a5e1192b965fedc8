using System.Text;
using IncidentService.Simulator.Faults;

namespace IncidentService.Simulator.Data;

/// <summary>Writes the flat <c>{"ip": employee_id, ...}</c> identities answer, or one of its content faults.</summary>
internal static class IdentitiesJsonWriter
{
    public static byte[] Write(IReadOnlyList<KeyValuePair<string, int>> pairs, SimulatorFaultKind fault)
    {
        var json = new StringBuilder(16 + (pairs.Count * 26));
        if (fault == SimulatorFaultKind.ResultsNotArray)
        {
            // The wrong top-level shape: a list of records instead of one object.
            json.Append('[');
            for (var i = 0; i < pairs.Count; i++)
            {
                json.Append(i > 0 ? ", {" : "{");
                PythonJson.Key(json, "ip");
                PythonJson.String(json, pairs[i].Key);
                json.Append(", ");
                PythonJson.Key(json, "employee_id");
                PythonJson.Int(json, pairs[i].Value);
                json.Append('}');
            }

            return PythonJson.Bytes(json.Append(']'));
        }

        json.Append('{');
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                json.Append(", ");
            }

            var (ip, employee) = (pairs[i].Key, pairs[i].Value);
            var broken = fault == SimulatorFaultKind.WrongShapeItems && i % 10 == 3 ? i / 10 % 4 : -1;
            PythonJson.Key(json, broken == 3 ? "not-an-ip-" + ip : ip);
            switch (broken)
            {
                case 0:
                    PythonJson.String(json, employee.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case 1:
                    json.Append("null");
                    break;
                case 2:
                    json.Append(employee).Append(".5");
                    break;
                default:
                    PythonJson.Int(json, employee);
                    break;
            }
        }

        return PythonJson.Bytes(json.Append('}'));
    }
}
