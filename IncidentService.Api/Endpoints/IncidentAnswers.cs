using System.Globalization;
using IncidentService.Api.Queries;
using IncidentService.Api.Refresh;
using IncidentService.Api.Serving;
using IncidentService.Api.Telemetry;
using IncidentService.Core;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Endpoints;

/// <summary>
/// The answers of the <c>/incidents</c> routes, from the snapshot in memory. One instance for the process: a request
/// binds nothing but its <see cref="HttpContext"/> (and the employee id from the route).
/// </summary>
internal sealed class IncidentAnswers(SnapshotStore store, SnapshotViews views, IncidentMetrics metrics, IOptions<RefreshOptions> options)
{
    private TimeSpan FirstSnapshotWait => options.Value.FirstSnapshotWait;

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
    public async Task<IResult> ListAsync(HttpContext http)
    {
        var query = views.Parse(http.Request.Query);
        if (query is InvalidQuery invalid)
        {
            return Answer(http, SnapshotAnswers.BadQuery(invalid));
        }

        var filter = ((ValidQuery)query).Filter;
        var served = await store.WaitServedAsync(FirstSnapshotWait, http.RequestAborted);
        return Answer(http, served is null ? SnapshotAnswers.NotReady(http, FirstSnapshotWait)
            : filter.IsEverything ? new RepresentationResult(served, served.All, metrics)
            : SnapshotAnswers.Serve(http, views.Incidents(served.Snapshot, filter), SnapshotViews.ETagOf(served.Snapshot, "incidents", filter), served.Snapshot));
    }

    /// <summary>One employee's incidents, in the same per-priority shape.</summary>
    /// <param name="http">The request.</param>
    /// <param name="employeeId">The employee id, digits only.</param>
    /// <response code="200">The employee's incidents.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">The id is not a number.</response>
    /// <response code="404">No incident is attributed to this employee.</response>
    /// <response code="406">Accept-Encoding refuses every coding this answer is stored in (a small answer is identity only).</response>
    /// <response code="503">No snapshot yet.</response>
    public async Task<IResult> EmployeeAsync(HttpContext http, string employeeId)
    {
        if (!long.TryParse(employeeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Answer(http, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid employee id", detail: "An employee id is a non-negative whole number."));
        }

        var served = await store.WaitServedAsync(FirstSnapshotWait, http.RequestAborted);
        return Answer(http, served is null ? SnapshotAnswers.NotReady(http, FirstSnapshotWait)
            : served.Employee(id) is { } employee ? new RepresentationResult(served, employee, metrics)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No incidents for this employee", detail: $"No incident is attributed to employee {id}."));
    }

    /// <summary>Incidents that could not be attributed to an employee, each with the reason.</summary>
    /// <response code="200">The unattributed incidents: <c>{"count": n, "incidents": [{"reason": "...", "incident": {...}}]}</c>.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="406">Accept-Encoding refuses br, gzip and identity alike.</response>
    /// <response code="503">No snapshot yet.</response>
    public async Task<IResult> UnresolvedAsync(HttpContext http)
    {
        var served = await store.WaitServedAsync(FirstSnapshotWait, http.RequestAborted);
        return Answer(http, served is null ? SnapshotAnswers.NotReady(http, FirstSnapshotWait) : new RepresentationResult(served, served.Unresolved, metrics));
    }

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
    public async Task<IResult> SummaryAsync(HttpContext http)
    {
        var query = views.Parse(http.Request.Query);
        if (query is InvalidQuery invalid)
        {
            return Answer(http, SnapshotAnswers.BadQuery(invalid));
        }

        var filter = ((ValidQuery)query).Filter;
        var snapshot = await store.WaitAsync(FirstSnapshotWait, http.RequestAborted);
        return Answer(http, snapshot is null ? SnapshotAnswers.NotReady(http, FirstSnapshotWait)
            : SnapshotAnswers.Serve(http, views.Summary(snapshot, filter), SnapshotViews.ETagOf(snapshot, "summary", filter), snapshot));
    }

    /// <summary>
    /// Every answer of these routes depends on Accept-Encoding for a cache, problem answers too, and is counted by its
    /// final status: a stored representation counts itself (it decides 200, 304 or 406 as it runs), anything else once
    /// written.
    /// </summary>
    private IResult Answer(HttpContext http, IResult result)
    {
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        return result is RepresentationResult ? result : new CountedResult(result, metrics);
    }

    private sealed class CountedResult(IResult inner, IncidentMetrics metrics) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await inner.ExecuteAsync(httpContext);
            metrics.Answered(httpContext.Response.StatusCode);
        }
    }
}
