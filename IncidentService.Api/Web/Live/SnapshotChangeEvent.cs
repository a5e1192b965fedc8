using System.Text.Json.Serialization;

namespace IncidentService.Api.Web.Live;

/// <summary>The <c>data</c> of one <c>snapshot</c> event of <c>GET /incidents/changes</c>.</summary>
/// <param name="ETag">The snapshot's tag: exactly the <c>ETag</c> header of <c>GET /incidents</c> in identity coding (also the event's <c>id</c>). Send it in If-None-Match to revalidate.</param>
/// <param name="DataAsOf">When the snapshot's oldest upstream data was received.</param>
/// <param name="Complete">False when a feed has never answered and its incidents are missing.</param>
/// <param name="MissingFeeds">The feeds missing from the snapshot (the <c>Missing-Feeds</c> header); empty when complete.</param>
/// <param name="ChangedEmployees">Ids (as strings, ascending) whose <c>/incidents/{employeeId}</c> answer differs from the previous snapshot's: added, changed or gone. A self-scoped caller sees only its own id.</param>
/// <param name="ChangedEmployeesCapped">True when <paramref name="ChangedEmployees"/> is not the whole list: cut at <c>Live:MaxChangedEmployees</c>, or events were skipped for a slow reader. Refetch what you show.</param>
/// <param name="ChangedEmployeeCount">How many employees changed in all (within the caller's scope).</param>
public sealed record SnapshotChangeEvent(
    [property: JsonPropertyName("etag")] string ETag,
    DateTimeOffset DataAsOf,
    bool Complete,
    IReadOnlyList<string> MissingFeeds,
    IReadOnlyList<string> ChangedEmployees,
    bool ChangedEmployeesCapped,
    int ChangedEmployeeCount);
