using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Queries;
using IncidentService.Api.Web.Routing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace IncidentService.Api.Web.Controllers;

/// <summary>
/// The incidents, as stored in the snapshot: all of them (or those a filter selects), one employee's, the
/// unattributed. Each action asks the reader and returns its answer, synchronously (no task per request); the answer
/// does negotiation, revalidation and the headers. <c>ActionResult&lt;T&gt;</c> and <c>[ProducesResponseType]</c>
/// type it for the OpenAPI document. The routes are whole paths (no controller prefix): each is the <c>http_route</c> label of the
/// request metrics, which the dashboard and alerts select on.
/// </summary>
[ApiController]
[Tags("Incidents")]
public sealed class IncidentsController(IncidentReader reader) : ControllerBase
{
    /// <summary>All employees with at least one incident, keyed by employee id (the format of docs/contract.md).</summary>
    /// <remarks>
    /// Served as stored bytes, in br, gzip or identity as <c>Accept-Encoding</c> asks, each with its own strong ETag:
    /// send <c>If-None-Match</c> with any of them to get 304 when nothing changed. HEAD answers the headers alone. The
    /// filters (<c>priority</c>, <c>type</c>, <c>since</c>, <c>until</c>) answer the same shape with only the matching
    /// incidents and employees, negotiated and revalidated alike; without any, the answer is the whole document, byte
    /// for byte.
    /// </remarks>
    /// <response code="200">The incidents of every employee.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">An unknown query parameter or a bad value; <c>parameter</c> names it.</response>
    /// <response code="503">No snapshot yet (the service just started); retry after the Retry-After seconds.</response>
    /// <response code="406">Accept-Encoding refuses br, gzip and identity alike.</response>
    [AcceptVerbs("GET", "HEAD", Route = ServiceRoutes.Incidents)]
    [EndpointName(OperationIds.ListIncidents)]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType<Dictionary<string, EmployeeIncidents>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesProblem(StatusCodes.Status400BadRequest)]
    [ProducesProblem(StatusCodes.Status406NotAcceptable)]
    [ProducesProblem(StatusCodes.Status503ServiceUnavailable)]
    public ActionResult<Dictionary<string, EmployeeIncidents>> List() => reader.Incidents(HttpContext);

    /// <summary>One employee's incidents, in the same per-priority shape.</summary>
    /// <param name="employeeId">The employee id, digits only.</param>
    /// <response code="200">The employee's incidents.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">The id is not a number.</response>
    /// <response code="404">No incident is attributed to this employee.</response>
    /// <response code="406">Accept-Encoding refuses every coding this answer is stored in (a small answer is identity only).</response>
    /// <response code="503">No snapshot yet.</response>
    [AcceptVerbs("GET", "HEAD", Route = ServiceRoutes.EmployeeIncidents)]
    [EndpointName(OperationIds.GetEmployeeIncidents)]
    [Authorize(Policy = AccessPolicies.ReadEmployee)]
    [ProducesResponseType<EmployeeIncidents>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesProblem(StatusCodes.Status400BadRequest)]
    [ProducesProblem(StatusCodes.Status404NotFound)]
    [ProducesProblem(StatusCodes.Status406NotAcceptable)]
    [ProducesProblem(StatusCodes.Status503ServiceUnavailable)]
    public ActionResult<EmployeeIncidents> Employee(string employeeId) => reader.Employee(employeeId);

    /// <summary>Incidents that could not be attributed to an employee, each with the reason.</summary>
    /// <response code="200">The unattributed incidents: <c>{"count": n, "incidents": [{"reason": "...", "incident": {...}}]}</c>.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="406">Accept-Encoding refuses br, gzip and identity alike.</response>
    /// <response code="503">No snapshot yet.</response>
    [AcceptVerbs("GET", "HEAD", Route = ServiceRoutes.UnresolvedIncidents)]
    [EndpointName(OperationIds.ListUnresolvedIncidents)]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType<UnresolvedIncidents>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesProblem(StatusCodes.Status406NotAcceptable)]
    [ProducesProblem(StatusCodes.Status503ServiceUnavailable)]
    public ActionResult<UnresolvedIncidents> Unresolved() => reader.Unresolved();
}
