namespace IncidentService.Core;

/// <summary>An upstream incident feed and the field of its items that names the person.</summary>
public sealed record FeedDefinition(string Name, string IdentityField)
{
    /// <summary>The seven feeds of contract §2 with their identity fields.</summary>
    public static IReadOnlyList<FeedDefinition> Defaults { get; } =
    [
        new("denial", "reported_by"),
        new("intrusion", "internal_ip"),
        new("executable", "machine_ip"),
        new("misuse", "employee_id"),
        new("unauthorized", "employee_id"),
        new("probing", "ip"),
        new("other", "identifier"),
    ];
}
