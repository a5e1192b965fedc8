using System.Globalization;
using IncidentService.Api.Serving;
using IncidentService.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Queries;

/// <summary>The answers every view of a snapshot shares: stored bytes with their validators, not ready yet, a bad query.</summary>
internal static class SnapshotAnswers
{
    /// <summary>As <c>/incidents</c> serves its body: private revalidated caching, <c>Missing-Feeds</c> when incomplete, ETag and Last-Modified.</summary>
    public static FileContentHttpResult Serve(HttpContext http, byte[] json, string etag, IncidentSnapshot snapshot)
    {
        http.Response.Headers.CacheControl = RepresentationResult.CacheControl;
        if (!snapshot.IsComplete)
        {
            http.Response.Headers[RepresentationResult.MissingFeedsHeader] = string.Join(", ", snapshot.MissingFeeds);
        }

        return TypedResults.Bytes(json, "application/json", lastModified: snapshot.ContentChangedAt, entityTag: EntityTagHeaderValue.Parse(etag));
    }

    public static ProblemHttpResult NotReady(HttpContext http, TimeSpan firstSnapshotWait)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(firstSnapshotWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Incidents not loaded yet",
            detail: "The service has not finished its first read of the upstream feeds; retry shortly (GET /status says what it is waiting for).");
    }

    /// <summary>400 problem+json naming the parameter, in the detail and as <c>parameter</c>.</summary>
    public static ProblemHttpResult BadQuery(InvalidQuery invalid) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Invalid query parameter",
        Detail = $"{invalid.Parameter}: {invalid.Problem}",
        Extensions = { ["parameter"] = invalid.Parameter },
    });
}
