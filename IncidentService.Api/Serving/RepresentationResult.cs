using IncidentService.Api.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Serving;

/// <summary>
/// Answers with one stored representation: the coding negotiated from <c>Accept-Encoding</c>, 304 when
/// <c>If-None-Match</c> names any tag of the content, 406 when no stored coding is acceptable, and for HEAD the same
/// headers without the body. The body is the stored bytes, copied once into the response's buffer: no serialization.
/// </summary>
internal sealed class RepresentationResult(ServedSnapshot served, Representation representation, IncidentMetrics metrics) : IResult
{
    /// <summary>Names the feeds an incomplete snapshot lacks, on every answer from it (304 included).</summary>
    public const string MissingFeedsHeader = "Missing-Feeds";

    /// <summary>Clients may keep a copy but must revalidate it (the ETag makes that a 304); personal data, so never a shared cache.</summary>
    public const string CacheControl = "private, no-cache";

    /// <summary>The largest piece of a body written at once, 1 MiB: every answer of today's size (370 KB at most) is one.</summary>
    private const int MaxPiece = 1 << 20;

    public async Task ExecuteAsync(HttpContext http)
    {
        var (request, response) = (http.Request, http.Response);
        var headers = response.Headers;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.CacheControl = CacheControl;
        headers.LastModified = served.LastModified;
        if (served.MissingFeeds is { } missing)
        {
            // The body alone would look like a complete answer; this says which feeds' incidents are not in it.
            headers[MissingFeedsHeader] = missing;
        }

        var coding = AcceptEncoding.Negotiate(request.Headers.AcceptEncoding, representation.Available);
        if (NotModifiedTag(request, coding) is { } tag)
        {
            headers.ETag = tag;
            response.StatusCode = StatusCodes.Status304NotModified;
            metrics.Answered(StatusCodes.Status304NotModified);
            return;
        }

        if (coding is not { } chosen)
        {
            metrics.Answered(StatusCodes.Status406NotAcceptable);
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
        metrics.Answered(StatusCodes.Status200OK);
        if (!HttpMethods.IsHead(request.Method))
        {
            await WriteBodyAsync(response, body, http.RequestAborted);
        }
    }

    /// <summary>
    /// Headers first, then the body into one buffer of its whole length. Kestrel's pipe takes a buffer that large from
    /// the shared array pool in one piece, where <c>WriteAsync</c> filled its own 4 KiB blocks: twelve rented for a gzip
    /// answer, and the least recently used first, so the copy into them missed the cache (docs/perf.md, fourth pass).
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
    private string? NotModifiedTag(HttpRequest request, ContentCoding? coding)
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
