using IncidentService.Simulator.Answering;

namespace IncidentService.Simulator.Data;

/// <summary>How a feed names the person behind an incident.</summary>
internal enum IdentityKind
{
    EmployeeId,
    Ip,
    Mixed,
}

/// <summary>What a field of a served incident holds.</summary>
internal enum FieldValue
{
    Priority,
    Timestamp,
    EmployeeId,
    InternalIp,
    ExternalIp,
    Identifier,
}

internal readonly record struct FeedField(string Name, FieldValue Value);

/// <summary>A feed's served shape: its fields in the upstream's order (contract §2 table) and which one names the person.</summary>
internal sealed record FeedLayout(string Name, IdentityKind Identity, IReadOnlyList<FeedField> Fields, int IdentityField)
{
    private static readonly FeedField Priority = new("priority", FieldValue.Priority);
    private static readonly FeedField Timestamp = new("timestamp", FieldValue.Timestamp);
    private static readonly FeedField SourceIp = new("source_ip", FieldValue.ExternalIp);

    private static readonly FeedLayout[] Layouts =
    [
        new("denial", IdentityKind.EmployeeId, [Priority, new("reported_by", FieldValue.EmployeeId), Timestamp, SourceIp], 1),
        new("intrusion", IdentityKind.Ip, [Priority, new("internal_ip", FieldValue.InternalIp), SourceIp, Timestamp], 1),
        new("executable", IdentityKind.Ip, [Priority, new("machine_ip", FieldValue.InternalIp), Timestamp], 1),
        new("misuse", IdentityKind.EmployeeId, [Priority, new("employee_id", FieldValue.EmployeeId), Timestamp], 1),
        new("unauthorized", IdentityKind.EmployeeId, [Priority, new("employee_id", FieldValue.EmployeeId), Timestamp], 1),
        new("probing", IdentityKind.Ip, [Priority, new("ip", FieldValue.InternalIp), Timestamp], 1),
        new("other", IdentityKind.Mixed, [Priority, new("identifier", FieldValue.Identifier), Timestamp], 1),
    ];

    /// <summary>The layout of <see cref="SimulatorTargets.Feeds"/>[<paramref name="feed"/>].</summary>
    public static FeedLayout Of(int feed) => Layouts[feed];
}
