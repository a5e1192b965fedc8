using System.Globalization;
using System.Text;

namespace IncidentService.Simulator.Answering;

/// <summary>The plain answers of the simulated upstream, bodies in the style of the Django app it was.</summary>
internal static class UpstreamResponses
{
    public const string Realm = "Basic realm=\"incidents\"";

    public static Task JsonAsync(HttpContext context, byte[] body, CancellationToken cancellationToken) =>
        BytesAsync(context, StatusCodes.Status200OK, "application/json", body, cancellationToken);

    public static Task UnauthorizedAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.WWWAuthenticate = Realm;
        return TextAsync(context, StatusCodes.Status401Unauthorized, "application/json", "{\"detail\": \"Invalid username/password.\"}", cancellationToken);
    }

    public static Task NotFoundAsync(HttpContext context, CancellationToken cancellationToken) =>
        TextAsync(context, StatusCodes.Status404NotFound, "application/json", "{\"detail\": \"Not found.\"}", cancellationToken);

    /// <summary>The APPEND_SLASH redirect: to the same URL with a trailing slash, query kept.</summary>
    public static void RedirectToSlash(HttpContext context)
    {
        var request = context.Request;
        context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        context.Response.Headers.Location = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}/{request.QueryString}";
    }

    public static Task RetryAfterAsync(HttpContext context, int status, TimeSpan? retryAfter, string body, CancellationToken cancellationToken)
    {
        var seconds = Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds);
        context.Response.Headers.RetryAfter = Math.Max(0, seconds).ToString(CultureInfo.InvariantCulture);
        return TextAsync(context, status, "application/json", body, cancellationToken);
    }

    public static Task TextAsync(HttpContext context, int status, string contentType, string body, CancellationToken cancellationToken) =>
        BytesAsync(context, status, contentType, Encoding.UTF8.GetBytes(body), cancellationToken);

    public static async Task BytesAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellationToken);
    }
}
