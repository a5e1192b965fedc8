using System.Globalization;
using IncidentService.Api.Access;
using IncidentService.Api.Queries;
using IncidentService.Api.Refresh;
using IncidentService.Api.Telemetry;
using IncidentService.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Controllers;

/// <summary>Every employee's incidents, grouped by priority, in time order; served from the in-memory snapshot.</summary>
[ApiController]
[Route("incidents")]
public sealed class IncidentsController(SnapshotStore store, IncidentMetrics metrics, IOptions<RefreshOptions> options) : ControllerBase, IActionFilter
{
    /// <summary>Counts every answer by its final status, which for a 304 is only known once the result runs.</summary>
    [NonAction]
    public void OnActionExecuting(ActionExecutingContext context)
    {
        Response.OnStarting(() =>
        {
            metrics.Answered(Response.StatusCode);
            return Task.CompletedTask;
        });
    }

    [NonAction]
    public void OnActionExecuted(ActionExecutedContext context)
    {
    }

    /// <summary>All employees with at least one incident, keyed by employee id (the format of docs/contract.md).</summary>
    /// <remarks>
    /// Served as stored bytes with a strong ETag: send <c>If-None-Match</c> to get 304 when nothing changed. The filters
    /// (<c>priority</c>, <c>type</c>, <c>since</c>, <c>until</c>) answer the same shape with only the matching incidents
    /// and employees; without any, the answer is the whole document, byte for byte.
    /// </remarks>
    /// <response code="200">The incidents of every employee.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">An unknown query parameter or a bad value; <c>parameter</c> names it.</response>
    /// <response code="503">No snapshot yet (the service just started); retry after the Retry-After seconds.</response>
    [HttpGet]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType(typeof(Dictionary<string, EmployeeIncidents>), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetAll([FromServices] SnapshotViews views, CancellationToken cancellationToken)
    {
        var query = views.Parse(Request.Query);
        if (query is InvalidQuery invalid)
        {
            return SnapshotAnswers.BadQuery(this, invalid);
        }

        var filter = ((ValidQuery)query).Filter;
        var snapshot = await store.WaitAsync(options.Value.FirstSnapshotWait, cancellationToken);
        return snapshot is null ? NotReady()
            : filter.IsEverything ? Serve(snapshot.Json, snapshot.ETag, snapshot)
            : Serve(views.Incidents(snapshot, filter), SnapshotViews.ETagOf(snapshot, "incidents", filter), snapshot);
    }

    /// <summary>One employee's incidents, in the same per-priority shape.</summary>
    /// <param name="employeeId">The employee id, digits only.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    /// <response code="200">The employee's incidents.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">The id is not a number.</response>
    /// <response code="404">No incident is attributed to this employee.</response>
    /// <response code="503">No snapshot yet.</response>
    [HttpGet("{employeeId}")]
    [Authorize(Policy = AccessPolicies.ReadEmployee)]
    [ProducesResponseType(typeof(EmployeeIncidents), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetEmployee(string employeeId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(employeeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid employee id", detail: "An employee id is a non-negative whole number.");
        }

        var snapshot = await store.WaitAsync(options.Value.FirstSnapshotWait, cancellationToken);
        if (snapshot is null)
        {
            return NotReady();
        }

        return snapshot.ForEmployee(id) is { } json
            ? Serve(json.ToArray(), snapshot.ETagOf(id.ToString(CultureInfo.InvariantCulture)), snapshot)
            : Problem(statusCode: StatusCodes.Status404NotFound, title: "No incidents for this employee", detail: $"No incident is attributed to employee {id}.");
    }

    /// <summary>Incidents that could not be attributed to an employee, each with the reason.</summary>
    /// <response code="200">The unattributed incidents: <c>{"count": n, "incidents": [{"reason": "...", "incident": {...}}]}</c>.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="503">No snapshot yet.</response>
    [HttpGet("unresolved")]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType(typeof(UnresolvedIncidents), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetUnresolved(CancellationToken cancellationToken)
    {
        var snapshot = await store.WaitAsync(options.Value.FirstSnapshotWait, cancellationToken);
        return snapshot is null ? NotReady() : Serve(snapshot.UnresolvedJson, snapshot.ETagOf("unresolved"), snapshot);
    }

    /// <summary>Names the feeds an incomplete snapshot lacks, on every answer from it (304 included).</summary>
    public const string MissingFeedsHeader = "Missing-Feeds";

    private FileContentResult Serve(byte[] json, string etag, IncidentSnapshot snapshot)
    {
        // Clients may keep a copy but must revalidate it (the ETag makes that a 304); personal data, so never a shared cache.
        Response.Headers.CacheControl = "private, no-cache";
        if (!snapshot.IsComplete)
        {
            // The body alone would look like a complete answer; this says which feeds' incidents are not in it.
            Response.Headers[MissingFeedsHeader] = string.Join(", ", snapshot.MissingFeeds);
        }

        return new FileContentResult(json, "application/json")
        {
            EntityTag = EntityTagHeaderValue.Parse(etag),
            LastModified = snapshot.ContentChangedAt,
        };
    }

    private ObjectResult NotReady()
    {
        Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(options.Value.FirstSnapshotWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Incidents not loaded yet",
            detail: "The service has not finished its first read of the upstream feeds; retry shortly (GET /status says what it is waiting for).");
    }
}
