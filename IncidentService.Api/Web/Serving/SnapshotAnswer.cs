using System.Globalization;
using IncidentService.Api.Telemetry;
using IncidentService.Core.Querying;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Web.Serving;

/// <summary>
/// Every answer of the snapshot routes — whole, one employee, unresolved, a view under a filter, the summary, and
/// the problems they answer instead. A stored representation is answered in the coding negotiated from
/// <c>Accept-Encoding</c> (RFC 9110 §12.5.3), with 304 when <c>If-None-Match</c> names any tag of the content (or,
/// without it, <c>If-Modified-Since</c> is not older), 406 when no stored coding is acceptable, and for HEAD the same
/// headers without the body. The body is the stored bytes, copied once into the response's buffer: no serialization.
/// Every answer varies by <c>Accept-Encoding</c> (problems too, for a cache) and is counted by its final status.
/// </summary>
internal sealed class SnapshotAnswer : ActionResult
{
    /// <summary>Names the feeds an incomplete snapshot lacks, on every answer from it (304 included).</summary>
    public const string MissingFeedsHeader = "Missing-Feeds";

    /// <summary>Clients may keep a copy but must revalidate it (the ETag makes that a 304); personal data, so never a shared cache.</summary>
    public const string CacheControl = "private, no-cache";

    /// <summary>The largest piece of a body written at once, 1 MiB: every answer of today's size (370 KB at most) is one.</summary>
    private const int MaxPiece = 1 << 20;

    private readonly IncidentMetrics _metrics;
    private readonly ServedSnapshot? _served;
    private readonly Representation? _representation;
    private readonly ProblemHttpResult? _problem;
    private readonly string? _retryAfter;
    private readonly Func<CancellationToken, Task<SnapshotAnswer>>? _later;

    private SnapshotAnswer(IncidentMetrics metrics, ServedSnapshot? served, Representation? representation, ProblemHttpResult? problem, string? retryAfter)
    {
        (_metrics, _served, _representation, _problem, _retryAfter) = (metrics, served, representation, problem, retryAfter);
    }

    private SnapshotAnswer(IncidentMetrics metrics, Func<CancellationToken, Task<SnapshotAnswer>> later)
    {
        (_metrics, _later) = (metrics, later);
    }

    /// <summary>
    /// The answer <paramref name="later"/> decides once the first snapshot is in (or it gave up waiting): only a
    /// service that just started has none, so the actions stay synchronous and allocate no task on every other request.
    /// </summary>
    public static SnapshotAnswer Later(Func<CancellationToken, Task<SnapshotAnswer>> later, IncidentMetrics metrics) => new(metrics, later);

    /// <summary>One stored representation of <paramref name="served"/>.</summary>
    public static SnapshotAnswer Of(ServedSnapshot served, Representation representation, IncidentMetrics metrics) =>
        new(metrics, served, representation, null, null);

    public static SnapshotAnswer NotReady(TimeSpan firstSnapshotWait, IncidentMetrics metrics) => new(metrics, null, null, TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Incidents not loaded yet",
            detail: "The service has not finished its first read of the upstream feeds; retry shortly (GET /status says what it is waiting for)."),
        Math.Max(1, (int)Math.Ceiling(firstSnapshotWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    /// <summary>400 problem+json naming the parameter, in the detail and as <c>parameter</c>.</summary>
    public static SnapshotAnswer BadQuery(InvalidQuery invalid, IncidentMetrics metrics) => new(metrics, null, null, TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Invalid query parameter",
        Detail = $"{invalid.Parameter}: {invalid.Problem}",
        Extensions = { ["parameter"] = invalid.Parameter },
    }), null);

    public static SnapshotAnswer InvalidEmployeeId(IncidentMetrics metrics) => new(metrics, null, null,
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid employee id", detail: "An employee id is a non-negative whole number."), null);

    public static SnapshotAnswer NoEmployee(long employeeId, IncidentMetrics metrics) => new(metrics, null, null,
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No incidents for this employee", detail: $"No incident is attributed to employee {employeeId}."), null);

    /// <summary>429: building this answer costs more than the caller's rate-limit bucket holds now.</summary>
    public static SnapshotAnswer OverBudget(TimeSpan retryAfter, IncidentMetrics metrics) => new(metrics, null, null, TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"Building this filtered answer costs more of this client's rate limit than is left; retry after {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s (an answer already built costs one request)."),
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    public override Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);

    public async Task ExecuteAsync(HttpContext http)
    {
        if (_later is not null)
        {
            await (await _later(http.RequestAborted)).ExecuteAsync(http);
            return;
        }

        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (_problem is not null)
        {
            if (_retryAfter is not null)
            {
                http.Response.Headers.RetryAfter = _retryAfter;
            }

            await _problem.ExecuteAsync(http);
            _metrics.Answered(http.Response.StatusCode);
            return;
        }

        await RepresentAsync(http, _served!, _representation!);
    }

    private async Task RepresentAsync(HttpContext http, ServedSnapshot served, Representation representation)
    {
        var (request, response) = (http.Request, http.Response);
        var headers = response.Headers;
        headers.CacheControl = CacheControl;
        headers.LastModified = served.LastModified;
        if (served.MissingFeeds is { } missing)
        {
            // The body alone would look like a complete answer; this says which feeds' incidents are not in it.
            headers[MissingFeedsHeader] = missing;
        }

        var coding = AcceptEncoding.Negotiate(request.Headers.AcceptEncoding, representation.Available);
        if (NotModifiedTag(request, served, representation, coding) is { } tag)
        {
            headers.ETag = tag;
            response.StatusCode = StatusCodes.Status304NotModified;
            _metrics.Answered(StatusCodes.Status304NotModified);
            return;
        }

        if (coding is not { } chosen)
        {
            _metrics.Answered(StatusCodes.Status406NotAcceptable);
            await NotAcceptable().ExecuteAsync(http);
            return;
        }

        var body = representation.Body(chosen);
        headers.ETag = representation.Tag(chosen);
        if (chosen != ContentCoding.Identity)
        {
            headers.ContentEncoding = ContentCodings.Token(chosen);
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        _metrics.Answered(StatusCodes.Status200OK);
        if (!HttpMethods.IsHead(request.Method))
        {
            await WriteBodyAsync(response, body, http.RequestAborted);
        }
    }

    /// <summary>
    /// Headers first, then the body into one buffer of its whole length. Kestrel's pipe takes a buffer that large from
    /// the shared array pool in one piece, where <c>WriteAsync</c> filled its own 4 KiB blocks: twelve rented for a gzip
    /// answer, and the least recently used first, so the copy into them missed the cache (docs/perf.md).
    /// A body over <see cref="MaxPiece"/> goes in pieces of that size, each flushed, so that a request holds at most
    /// one piece beyond what its client has yet to read (a 1 M-incident answer is ~100 MB).
    /// </summary>
    internal static async Task WriteBodyAsync(HttpResponse response, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await response.StartAsync(cancellationToken);
        var writer = response.BodyWriter;
        while (!body.IsEmpty)
        {
            var piece = body[..Math.Min(body.Length, MaxPiece)];
            piece.Span.CopyTo(writer.GetSpan(piece.Length));
            writer.Advance(piece.Length);
            body = body[piece.Length..];
            if ((await writer.FlushAsync(cancellationToken)).IsCompleted)
            {
                return; // the client is gone
            }
        }
    }

    /// <summary>If-None-Match decides when present; otherwise If-Modified-Since (RFC 9110 §13.2.2).</summary>
    private static string? NotModifiedTag(HttpRequest request, ServedSnapshot served, Representation representation, ContentCoding? coding)
    {
        var preferred = representation.Tag(coding ?? ContentCoding.Identity)!;
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return IfNoneMatch.Match(ifNoneMatch, representation.Tags, preferred);
        }

        return coding is not null
            && request.Headers.IfModifiedSince is { Count: > 0 } since
            && HeaderUtilities.TryParseDate(since.ToString(), out var date)
            && date >= served.LastModifiedAt
            ? preferred
            : null;
    }

    // A new one each time: writing a problem adds the request's trace id to it.
    private static ProblemHttpResult NotAcceptable() => TypedResults.Problem(
        statusCode: StatusCodes.Status406NotAcceptable,
        title: "No acceptable content coding",
        detail: "This answer is available as br, gzip or identity (smaller answers as identity only); Accept-Encoding refused each.");
}
