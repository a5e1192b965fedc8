using System.Text.Json.Serialization;

namespace IncidentService.Api.Web.Controllers;

// These types describe the served JSON for the API documentation; the bodies themselves are written by the snapshot.

/// <summary>One employee's incidents, one entry per priority, always all four.</summary>
public sealed record EmployeeIncidents(
    [property: JsonPropertyName("low")] PriorityIncidents Low,
    [property: JsonPropertyName("medium")] PriorityIncidents Medium,
    [property: JsonPropertyName("high")] PriorityIncidents High,
    [property: JsonPropertyName("critical")] PriorityIncidents Critical);

/// <summary>Incidents of one priority in timestamp order.</summary>
/// <param name="Count">How many incidents follow.</param>
/// <param name="Incidents">Upstream incidents as received, with <c>type</c> (the feed) added first.</param>
public sealed record PriorityIncidents(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("incidents")] IReadOnlyList<IncidentJson> Incidents);

/// <summary>Incidents that could not be attributed.</summary>
public sealed record UnresolvedIncidents(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("incidents")] IReadOnlyList<UnresolvedIncident> Incidents);

/// <summary>One unattributed incident.</summary>
/// <param name="Reason">ip-not-in-identities, identity-missing or identity-malformed.</param>
/// <param name="Incident">The incident as it would have been served.</param>
public sealed record UnresolvedIncident(
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("incident")] IncidentJson Incident);

/// <summary>Stands for one served incident in the documented types; the API documentation gives it the incident schema.</summary>
public sealed class IncidentJson;
