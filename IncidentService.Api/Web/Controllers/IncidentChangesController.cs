using System.Globalization;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Live;
using IncidentService.Api.Web.Routing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Web.Controllers;

/// <summary>Change notifications: one Server-Sent Event per installed snapshot whose content differs.</summary>
[ApiController]
[Route(ServiceRoutes.IncidentChanges)]
[Tags("Incidents")]
public sealed class IncidentChangesController : ControllerBase
{
    private readonly SnapshotChanges _changes;
    private readonly LiveStreams _streams;
    private readonly LiveMetrics _metrics;
    private readonly IOptions<LiveOptions> _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<IncidentChangesController> _logger;

    public IncidentChangesController(SnapshotChanges changes, LiveStreams streams, LiveMetrics metrics, IOptions<LiveOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<IncidentChangesController> logger)
    {
        _changes = changes;
        _streams = streams;
        _metrics = metrics;
        _options = options;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
    }

    /// <summary>A stream of the served snapshot's changes (text/event-stream).</summary>
    /// <remarks>
    /// On connect the current state comes at once; then one <c>snapshot</c> event each time a snapshot with different
    /// content is installed (here or, on a follower, from the leader's record), within a second. Each event's <c>id</c>
    /// is the snapshot's tag: reconnect with <c>Last-Event-ID</c> and the stream resumes after it, without repeating
    /// it. Its <c>data</c> is one JSON object (the schema below). A comment line (<c>: heartbeat</c>) comes every
    /// <c>Live:HeartbeatInterval</c> (15 s) while nothing changes. A self-scoped caller's events name only its own
    /// employee, and come only when that employee's answer changed. Counted once per connection against the rate
    /// limit; a client may hold <c>Live:MaxStreams:PerClient</c> streams at once (429 beyond). The stream ends when the
    /// service stops; reconnect then (EventSource does so by itself).
    /// </remarks>
    /// <response code="200">The event stream; each event's data is a SnapshotChangeEvent.</response>
    /// <response code="429">Over this client's rate limit, or it holds its limit of open streams (or the service does).</response>
    [HttpGet(Name = OperationIds.WatchIncidentChanges)]
    [Authorize(Policy = AccessPolicies.ReadChanges)]
    [ProducesResponseType<SnapshotChangeEvent>(StatusCodes.Status200OK, ChangeEvents.ContentType)]
    [ProducesProblem(StatusCodes.Status429TooManyRequests)]
    public async Task<IActionResult> StreamAsync()
    {
        // Null: every employee. Open reads and incidents:read see all; a self-scoped caller its own ids alone.
        var open = HttpContext.RequestServices.GetRequiredService<AccessSchemes>().Open;
        var scope = open || AccessScopes.Has(User, AccessScopes.ReadAll) ? null : AccessScopes.OwnEmployees(User);
        // Requests with nothing to tell them apart (no principal, no address: the in-process host) count as one client.
        var slot = _streams.TryOpen(RateLimitClient.Of(HttpContext) ?? RateLimitClient.Unlimited);
        if (slot is StreamRefused refused)
        {
            Response.Headers.RetryAfter = "5";
            return Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many open streams", detail: refused.Reason);
        }

        using var opened = (LiveStreams.StreamOpened)slot;
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted, _lifetime.ApplicationStopping);
        try
        {
            await StreamChangesAsync(scope, ending.Token);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The client left, or the service is stopping: either way the stream simply ends.
        }

        return new EmptyResult();
    }

    private async Task StreamChangesAsync(long[]? scope, CancellationToken cancellationToken)
    {
        Response.ContentType = ChangeEvents.ContentType;
        Response.Headers.CacheControl = "no-cache";
        // nginx and similar proxies hold a response back to fill their buffers; an event must not wait for that.
        Response.Headers["X-Accel-Buffering"] = "no";
        HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await Response.Body.FlushAsync(cancellationToken);

        var options = _options.Value;
        var (sent, resumed) = StartAfter(Request.Headers["Last-Event-ID"].ToString());
        var first = !resumed;
        LiveLog.StreamOpened(_logger, scope is null ? "all" : string.Join(",", scope.Select(id => id.ToString(CultureInfo.InvariantCulture))));
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = _changes.Next;
            var (changes, lost) = _changes.After(sent);
            foreach (var change in changes)
            {
                if (ChangeEvents.Format(change, scope, options.MaxChangedEmployees, first, lost) is { } bytes)
                {
                    await Response.Body.WriteAsync(bytes, cancellationToken);
                    _metrics.Sent();
                }

                sent = change.Sequence;
                first = false;
            }

            await Response.Body.FlushAsync(cancellationToken);
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var heartbeat = Task.Delay(options.HeartbeatInterval, _time, quiet.Token);
            if (await Task.WhenAny(next, heartbeat) == heartbeat)
            {
                await heartbeat; // throws when the stream is ending
                await Response.Body.WriteAsync(ChangeEvents.Heartbeat, cancellationToken);
            }
            else
            {
                await quiet.CancelAsync();
            }
        }
    }

    /// <summary>The last change this stream has already seen: the one named by Last-Event-ID when still kept, else the one before the current state.</summary>
    private (long Sequence, bool Resumed) StartAfter(string lastEventId)
    {
        if (lastEventId.Length > 0 && _changes.SequenceOf(lastEventId) is { } resumed)
        {
            return (resumed, true);
        }

        return (Math.Max(0, (_changes.Latest?.Sequence ?? 1) - 1), false);
    }
}
