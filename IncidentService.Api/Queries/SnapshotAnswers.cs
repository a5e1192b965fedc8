using System.Globalization;
using IncidentService.Api.Controllers;
using IncidentService.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Queries;

/// <summary>The answers every view of a snapshot shares: stored bytes with their validators, not ready yet, a bad query.</summary>
internal static class SnapshotAnswers
{
    /// <summary>As <c>/incidents</c> serves its body: private revalidated caching, <c>Missing-Feeds</c> when incomplete, ETag and Last-Modified.</summary>
    public static FileContentResult Serve(HttpResponse response, byte[] json, string etag, IncidentSnapshot snapshot)
    {
        response.Headers.CacheControl = "private, no-cache";
        if (!snapshot.IsComplete)
        {
            response.Headers[IncidentsController.MissingFeedsHeader] = string.Join(", ", snapshot.MissingFeeds);
        }

        return new FileContentResult(json, "application/json")
        {
            EntityTag = EntityTagHeaderValue.Parse(etag),
            LastModified = snapshot.ContentChangedAt,
        };
    }

    public static ObjectResult NotReady(ControllerBase controller, TimeSpan firstSnapshotWait)
    {
        controller.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(firstSnapshotWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return controller.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Incidents not loaded yet",
            detail: "The service has not finished its first read of the upstream feeds; retry shortly (GET /status says what it is waiting for).");
    }

    /// <summary>400 problem+json naming the parameter, in the detail and as <c>parameter</c>.</summary>
    public static ObjectResult BadQuery(ControllerBase controller, InvalidQuery invalid)
    {
        var problem = controller.ProblemDetailsFactory.CreateProblemDetails(
            controller.HttpContext,
            StatusCodes.Status400BadRequest,
            title: "Invalid query parameter",
            detail: $"{invalid.Parameter}: {invalid.Problem}");
        problem.Extensions["parameter"] = invalid.Parameter;
        return new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { "application/problem+json" } };
    }
}
