using System.Text;
using IncidentService.Simulator.Answering;
using IncidentService.Simulator.Data;

namespace IncidentService.Simulator.Faults;

/// <summary>Writes the answer a target gives under its current fault (the body itself comes from <see cref="SimulatorData"/>).</summary>
internal static class FaultResponder
{
    /// <summary>HugeBody's size: "tens of MB", above any sane client limit.</summary>
    public const int HugeBodyBytes = 32 * 1024 * 1024;

    private const string HtmlPage = "<!DOCTYPE html><html><head><title>Log in | Incidents</title></head><body><form method=\"post\"><input name=\"username\"><input name=\"password\" type=\"password\"></form></body></html>";

    public static async Task RespondAsync(HttpContext context, SimulatorFault fault, Func<byte[]> body, CancellationToken cancellationToken)
    {
        switch (fault.Kind)
        {
            case SimulatorFaultKind.Hang:
                await HangAsync(cancellationToken);
                break;
            case SimulatorFaultKind.StallMidBody:
                var full = body();
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = full.Length;
                await context.Response.Body.WriteAsync(full.AsMemory(0, full.Length / 2), cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
                await HangAsync(cancellationToken);
                break;
            case SimulatorFaultKind.ServerError:
                await UpstreamResponses.TextAsync(context, StatusCodes.Status500InternalServerError, "text/html", "<h1>Server Error (500)</h1>", cancellationToken);
                break;
            case SimulatorFaultKind.BadGateway:
                await UpstreamResponses.TextAsync(context, StatusCodes.Status502BadGateway, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", cancellationToken);
                break;
            case SimulatorFaultKind.Unavailable:
                await UpstreamResponses.TextAsync(context, StatusCodes.Status503ServiceUnavailable, "text/html", "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>", cancellationToken);
                break;
            case SimulatorFaultKind.UnavailableRetryAfter:
                await UpstreamResponses.RetryAfterAsync(context, StatusCodes.Status503ServiceUnavailable, fault.RetryAfter, "{\"detail\": \"Service temporarily unavailable, try again later.\"}", cancellationToken);
                break;
            case SimulatorFaultKind.TooManyRequests:
                await UpstreamResponses.RetryAfterAsync(context, StatusCodes.Status429TooManyRequests, fault.RetryAfter, "{\"detail\": \"Request was throttled.\"}", cancellationToken);
                break;
            case SimulatorFaultKind.Unauthorized:
                await UpstreamResponses.UnauthorizedAsync(context, cancellationToken);
                break;
            case SimulatorFaultKind.Html:
                await UpstreamResponses.TextAsync(context, StatusCodes.Status200OK, "text/html; charset=utf-8", HtmlPage, cancellationToken);
                break;
            case SimulatorFaultKind.TruncatedJson:
                var whole = body();
                await UpstreamResponses.BytesAsync(context, StatusCodes.Status200OK, "application/json", whole.AsMemory(0, whole.Length / 2), cancellationToken);
                break;
            case SimulatorFaultKind.HugeBody:
                await HugeBodyAsync(context, body(), cancellationToken);
                break;
            default:
                await UpstreamResponses.JsonAsync(context, body(), cancellationToken);
                break;
        }
    }

    /// <summary>Waits for the client to give up or the simulator to stop; both end in an aborted connection.</summary>
    private static Task HangAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>The normal answer with a <c>"padding"</c> property appended, streamed so the simulator never holds it.</summary>
    private static async Task HugeBodyAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        var open = Encoding.ASCII.GetBytes(", \"padding\": \"");
        var close = Encoding.ASCII.GetBytes("\"}");
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        var prefix = body.Length - 1; // everything but the closing brace
        var padding = Math.Max(0, HugeBodyBytes - prefix - open.Length - close.Length);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = prefix + open.Length + padding + close.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, prefix), cancellationToken);
        await context.Response.Body.WriteAsync(open, cancellationToken);
        for (var left = padding; left > 0; left -= chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), cancellationToken);
        }

        await context.Response.Body.WriteAsync(close, cancellationToken);
    }
}
