using System.Collections.Immutable;

namespace IncidentService.Core;

/// <summary>
/// An upstream incident as received: its fields in their original order with their exact JSON text, plus what the
/// service needs to place it (priority, timestamp, identity).
/// </summary>
public sealed record Incident(
    string Feed,
    Priority Priority,
    decimal Timestamp,
    IdentityReference Identity,
    ImmutableArray<IncidentField> Fields);
