using System.Globalization;
using IncidentService.Api.Access;
using IncidentService.Api.Queries;
using IncidentService.Api.Refresh;
using IncidentService.Api.Serving;
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
    // The actions read HttpContext.RequestAborted rather than take a CancellationToken: binding one is model binding
    // on every request, a measurable share of a 304 (docs/perf.md).

    [NonAction]
    public void OnActionExecuting(ActionExecutingContext context)
    {
    }

    /// <summary>
    /// Counts every answer by its final status. A stored representation counts itself (it decides 200, 304 or 406 as
    /// it runs); for anything else the status is only final when the response starts.
    /// </summary>
    [NonAction]
    public void OnActionExecuted(ActionExecutedContext context)
    {
        // Every answer of these routes depends on Accept-Encoding for a cache, the problem answers too.
        Response.Headers.Vary = Microsoft.Net.Http.Headers.HeaderNames.AcceptEncoding;
        if (context.Result is not RepresentationResult)
        {
            Response.OnStarting(() =>
            {
                metrics.Answered(Response.StatusCode);
                return Task.CompletedTask;
            });
        }
    }

    /// <summary>All employees with at least one incident, keyed by employee id (the format of docs/contract.md).</summary>
    /// <remarks>
    /// Served as stored bytes, in br, gzip or identity as <c>Accept-Encoding</c> asks, each with its own strong ETag:
    /// send <c>If-None-Match</c> with any of them to get 304 when nothing changed. HEAD answers the headers alone. The
    /// filters (<c>priority</c>, <c>type</c>, <c>since</c>, <c>until</c>) answer the same shape with only the matching
    /// incidents and employees (identity only); without any, the answer is the whole document, byte for byte.
    /// </remarks>
    /// <response code="200">The incidents of every employee.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">An unknown query parameter or a bad value; <c>parameter</c> names it.</response>
    /// <response code="503">No snapshot yet (the service just started); retry after the Retry-After seconds.</response>
    /// <response code="406">Accept-Encoding refuses br, gzip and identity alike.</response>
    [HttpGet]
    [HttpHead]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType(typeof(Dictionary<string, EmployeeIncidents>), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status406NotAcceptable, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetAll([FromServices] SnapshotViews views)
    {
        var query = views.Parse(Request.Query);
        if (query is InvalidQuery invalid)
        {
            return SnapshotAnswers.BadQuery(this, invalid);
        }

        var filter = ((ValidQuery)query).Filter;
        var served = await store.WaitServedAsync(options.Value.FirstSnapshotWait, HttpContext.RequestAborted);
        return served is null ? NotReady()
            : filter.IsEverything ? Serve(served, served.All)
            : ServeFiltered(views.Incidents(served.Snapshot, filter), SnapshotViews.ETagOf(served.Snapshot, "incidents", filter), served.Snapshot);
    }

    /// <summary>One employee's incidents, in the same per-priority shape.</summary>
    /// <param name="employeeId">The employee id, digits only.</param>
    /// <response code="200">The employee's incidents.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">The id is not a number.</response>
    /// <response code="404">No incident is attributed to this employee.</response>
    /// <response code="406">Accept-Encoding refuses every coding this answer is stored in (a small answer is identity only).</response>
    /// <response code="503">No snapshot yet.</response>
    [HttpGet("{employeeId}")]
    [HttpHead("{employeeId}")]
    [Authorize(Policy = AccessPolicies.ReadEmployee)]
    [ProducesResponseType(typeof(EmployeeIncidents), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status406NotAcceptable, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetEmployee(string employeeId)
    {
        if (!long.TryParse(employeeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid employee id", detail: "An employee id is a non-negative whole number.");
        }

        var served = await store.WaitServedAsync(options.Value.FirstSnapshotWait, HttpContext.RequestAborted);
        if (served is null)
        {
            return NotReady();
        }

        return served.Employee(id) is { } employee
            ? Serve(served, employee)
            : Problem(statusCode: StatusCodes.Status404NotFound, title: "No incidents for this employee", detail: $"No incident is attributed to employee {id}.");
    }

    /// <summary>Incidents that could not be attributed to an employee, each with the reason.</summary>
    /// <response code="200">The unattributed incidents: <c>{"count": n, "incidents": [{"reason": "...", "incident": {...}}]}</c>.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="406">Accept-Encoding refuses br, gzip and identity alike.</response>
    /// <response code="503">No snapshot yet.</response>
    [HttpGet("unresolved")]
    [HttpHead("unresolved")]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType(typeof(UnresolvedIncidents), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status406NotAcceptable, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetUnresolved()
    {
        var served = await store.WaitServedAsync(options.Value.FirstSnapshotWait, HttpContext.RequestAborted);
        return served is null ? NotReady() : Serve(served, served.Unresolved);
    }

    /// <summary>Names the feeds an incomplete snapshot lacks, on every answer from it (304 included).</summary>
    public const string MissingFeedsHeader = RepresentationResult.MissingFeedsHeader;

    private RepresentationResult Serve(ServedSnapshot served, Representation representation) => new(served, representation, metrics);

    /// <summary>A filtered answer: computed per request from the snapshot, identity only, with a strong tag of its own.</summary>
    private FileContentResult ServeFiltered(byte[] json, string etag, IncidentSnapshot snapshot)
    {
        // Clients may keep a copy but must revalidate it (the ETag makes that a 304); personal data, so never a shared cache.
        Response.Headers.CacheControl = "private, no-cache";
        if (!snapshot.IsComplete)
        {
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
