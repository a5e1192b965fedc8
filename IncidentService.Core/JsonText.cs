using System.Text.Json;

namespace IncidentService.Core;

/// <summary>
/// Checks that a JSON value can be read as text all the way down. The parser accepts lone surrogate escapes and bytes
/// that are not UTF-8 inside strings and only fails when such a string is read, so an item is checked whole before
/// anything of it is used or served.
/// </summary>
internal static class JsonText
{
    /// <summary>Null when every name and string is text and no object repeats a name; else the malformed reason.</summary>
    public static string? Problem(JsonElement value)
    {
        try
        {
            return Walk(value);
        }
        catch (InvalidOperationException)
        {
            return MalformedReason.TextInvalid;
        }
    }

    private static string? Walk(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                    {
                        return MalformedReason.FieldDuplicate;
                    }

                    if (Walk(property.Value) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (Walk(item) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.String:
                _ = value.GetString();
                return null;
            default:
                return null;
        }
    }
}
