using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace IncidentService.Core;

/// <summary>Turns one upstream item into an <see cref="Incident"/>, or says why it cannot.</summary>
public static class IncidentReader
{
    public static bool TryRead(
        FeedDefinition feed,
        JsonElement item,
        [NotNullWhen(true)] out Incident? incident,
        [NotNullWhen(false)] out string? malformedReason)
    {
        incident = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            malformedReason = MalformedReason.NotAnObject;
            return false;
        }

        // Text and shape first: a bad string would throw when read, and a second "priority" or our own "type" would be
        // served as something the upstream did not mean.
        malformedReason = JsonText.Problem(item) ?? (item.TryGetProperty("type", out _) ? MalformedReason.TypeReserved : null);
        if (malformedReason is not null)
        {
            return false;
        }

        var priorityProblem = ReadPriority(item, out var priority);
        var timestampProblem = ReadTimestamp(item, out var timestamp);
        malformedReason = priorityProblem ?? timestampProblem;
        if (malformedReason is not null)
        {
            return false;
        }

        var fields = ImmutableArray.CreateBuilder<IncidentField>();
        JsonElement? identity = null;
        foreach (var property in item.EnumerateObject())
        {
            fields.Add(new IncidentField(property.Name, property.Value.GetRawText()));
            if (property.NameEquals(feed.IdentityField))
            {
                identity = property.Value;
            }
        }

        incident = new Incident(feed.Name, priority, timestamp, IdentityReference.From(identity), fields.DrainToImmutable());
        return true;
    }

    private static string? ReadPriority(JsonElement item, out Priority priority)
    {
        priority = default;
        if (!item.TryGetProperty("priority", out var value))
        {
            return MalformedReason.PriorityMissing;
        }

        return value.ValueKind == JsonValueKind.String && Priorities.TryParse(value.GetString(), out priority)
            ? null
            : MalformedReason.PriorityUnknown;
    }

    private static string? ReadTimestamp(JsonElement item, out decimal timestamp)
    {
        timestamp = default;
        if (!item.TryGetProperty("timestamp", out var value))
        {
            return MalformedReason.TimestampMissing;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out timestamp)
            ? null
            : MalformedReason.TimestampNotANumber;
    }
}
