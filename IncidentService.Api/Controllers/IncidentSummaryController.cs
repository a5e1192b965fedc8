using IncidentService.Api.Access;
using IncidentService.Api.Queries;
using IncidentService.Api.Refresh;
using IncidentService.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Controllers;

/// <summary>Counts for dashboards, from the same snapshot as <c>/incidents</c>.</summary>
[ApiController]
[Route("incidents/summary")]
[CountAnswers]
public sealed class IncidentSummaryController(SnapshotStore store, SnapshotViews views, IOptions<RefreshOptions> options) : ControllerBase
{
    /// <summary>Incident counts per employee and priority, and totals per priority and per feed.</summary>
    /// <remarks>
    /// Takes the same filters as <c>GET /incidents</c> (<c>priority</c>, <c>type</c>, <c>since</c>, <c>until</c>); the counts
    /// are of the incidents that <c>GET /incidents</c> with those filters serves. Every priority and every feed is listed,
    /// zero or not; employees without a matching incident are left out.
    /// </remarks>
    /// <response code="200">The counts.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">An unknown query parameter or a bad value; <c>parameter</c> names it.</response>
    /// <response code="503">No snapshot yet (the service just started); retry after the Retry-After seconds.</response>
    [HttpGet]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType(typeof(IncidentSummaryDocument), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetSummary(CancellationToken cancellationToken)
    {
        var query = views.Parse(Request.Query);
        if (query is InvalidQuery invalid)
        {
            return SnapshotAnswers.BadQuery(this, invalid);
        }

        var filter = ((ValidQuery)query).Filter;
        var snapshot = await store.WaitAsync(options.Value.FirstSnapshotWait, cancellationToken);
        return snapshot is null
            ? SnapshotAnswers.NotReady(this, options.Value.FirstSnapshotWait)
            : SnapshotAnswers.Serve(Response, views.Summary(snapshot, filter), SnapshotViews.ETagOf(snapshot, "summary", filter), snapshot);
    }
}
