using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Queries;
using IncidentService.Api.Web.Routing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace IncidentService.Api.Web.Controllers;

/// <summary>Counts of the incidents, for dashboards.</summary>
[ApiController]
[Tags("IncidentSummary")]
public sealed class IncidentSummaryController(IncidentReader reader) : ControllerBase
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
    [HttpGet(ServiceRoutes.IncidentSummary)]
    [EndpointName(OperationIds.GetIncidentSummary)]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType<IncidentSummaryDocument>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesProblem(StatusCodes.Status400BadRequest)]
    [ProducesProblem(StatusCodes.Status503ServiceUnavailable)]
    public ActionResult<IncidentSummaryDocument> Get() => reader.Summary(HttpContext);
}
