namespace IncidentService.Api.Web.Controllers;

// The served summary's shape, for the API documentation; the body itself is written by IncidentSummary.

/// <summary>Incident counts: in all, per priority, per feed and per employee.</summary>
/// <param name="Total">Incidents counted.</param>
/// <param name="Priorities">Incidents per priority.</param>
/// <param name="Feeds">Per feed (the incident's <c>type</c>): every configured feed, zero or not.</param>
/// <param name="Employees">Per employee id: only employees with at least one incident counted.</param>
public sealed record IncidentSummaryDocument(
    int Total,
    PriorityCounts Priorities,
    IReadOnlyDictionary<string, PriorityTotals> Feeds,
    IReadOnlyDictionary<string, PriorityTotals> Employees);

/// <summary>A count per priority, always all four.</summary>
public sealed record PriorityCounts(int Low, int Medium, int High, int Critical);

/// <summary>A count per priority, always all four, and their sum.</summary>
public sealed record PriorityTotals(int Total, int Low, int Medium, int High, int Critical);
