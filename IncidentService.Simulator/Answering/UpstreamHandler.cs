using IncidentService.Simulator.Data;
using IncidentService.Simulator.Faults;

namespace IncidentService.Simulator.Answering;

/// <summary>Serves the upstream's endpoints (contract §2): redirect, auth, latency, then the answer or the target's fault.</summary>
internal sealed class UpstreamHandler(
    SimulatorOptions options,
    SimulatorData data,
    SimulatorFaultBoard faults,
    RequestTracker tracker,
    BasicAuthenticator authenticator,
    TimeProvider time,
    CancellationToken stopping)
{
    private const string OthersInFlightKey = "simulator.othersInFlight";
    private const string RequestNumberKey = "simulator.requestNumber";

    /// <summary>Counts every upstream request from entry to the end of its response, including 401s and faults.</summary>
    public async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(FaultControlEndpoints.Prefix, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        context.Items[OthersInFlightKey] = tracker.Enter();
        context.Items[RequestNumberKey] = tracker.RequestCount;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client gave up or the simulator is stopping: never let a half-served request look like an answer.
            context.Abort();
        }
        finally
        {
            tracker.Exit();
        }
    }

    public Task IncidentsAsync(HttpContext context)
    {
        var type = context.Request.RouteValues["type"] as string ?? string.Empty;
        var feed = SimulatorTargets.FeedIndex(type);
        return ServeAsync(context, feed >= 0 ? type : null, feed);
    }

    public Task IdentitiesAsync(HttpContext context) => ServeAsync(context, SimulatorTargets.Identities, -1);

    public Task NotFoundAsync(HttpContext context) => ServeAsync(context, null, -1);

    private async Task ServeAsync(HttpContext context, string? target, int feed)
    {
        // Django's APPEND_SLASH answered before authentication, which is how clients lost their credentials.
        if (target is not null && context.Request.Path.Value?.EndsWith('/') != true)
        {
            UpstreamResponses.RedirectToSlash(context);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = linked.Token;
        if (!authenticator.IsAuthorized(context.Request.Headers.Authorization))
        {
            await UpstreamResponses.UnauthorizedAsync(context, cancellationToken);
            return;
        }

        if (target is null)
        {
            await UpstreamResponses.NotFoundAsync(context, cancellationToken);
            return;
        }

        var fault = faults.Get(target);
        if (fault.Kind == SimulatorFaultKind.ConnectionReset)
        {
            context.Abort();
            return;
        }

        if (fault.Kind == SimulatorFaultKind.HangIgnoringAbort)
        {
            // Busy whatever the client does: only the simulator stopping ends it early, not RequestAborted.
            await Task.Delay(fault.Duration ?? SimulatorFault.DefaultHang, time, stopping);
        }

        var baseLatency = feed >= 0 ? options.IncidentsLatency : options.IdentitiesLatency;
        var others = context.Items[OthersInFlightKey] is int count ? count : 0;
        var requestNumber = context.Items[RequestNumberKey] is long number ? number : 0;
        var delay = LatencyModel.Delay(options, baseLatency, others, fault, requestNumber);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }

        byte[] Body() => feed >= 0 ? data.Feed(feed, time.GetUtcNow(), fault) : data.Identities(fault);
        await FaultResponder.RespondAsync(context, fault, Body, cancellationToken);
    }
}
