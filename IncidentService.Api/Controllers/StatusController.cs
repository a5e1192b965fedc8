using IncidentService.Api.Access;
using IncidentService.Api.Refresh;
using IncidentService.Upstream;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace IncidentService.Api.Controllers;

/// <summary>How fresh the served data is, and how each upstream feed is doing.</summary>
[ApiController]
[Route("status")]
[Authorize(Policy = AccessPolicies.ReadAll)]
public sealed class StatusController(SnapshotStore store, FeedBoard board, UpstreamConnection upstream, TimeProvider time) : ControllerBase
{
    /// <summary>Per-feed status (last attempt, success, error, items, duration, age) and the snapshot's time and counts.</summary>
    /// <response code="200">The status; a feed with <c>stale: true</c> is being served from older data, see <c>lastError</c>.</response>
    [HttpGet]
    [ProducesResponseType(typeof(ServiceStatus), StatusCodes.Status200OK, "application/json")]
    public ServiceStatus Get()
    {
        var now = time.GetUtcNow();
        var snapshot = store.Current;
        return new ServiceStatus(
            new UpstreamStatus(upstream.Root.GetLeftPart(UriPartial.Authority), upstream.IsSimulator),
            snapshot is null ? null : new SnapshotStatus(
                snapshot.CreatedAt,
                Seconds(now - snapshot.CreatedAt),
                snapshot.ContentChangedAt,
                snapshot.Counts.Employees,
                snapshot.Counts.Incidents,
                snapshot.Counts.Unresolved,
                snapshot.Counts.Malformed),
            board.LastCycle is { } cycle ? new CycleStatus(cycle.Number, cycle.StartedAt, cycle.Duration.TotalMilliseconds, cycle.Succeeded, cycle.Failed) : null,
            [.. board.States.Values.Select(state => new FeedStatus(
                state.Name,
                state.Stale,
                state.LastAttempt,
                state.LastSuccess,
                state.LastSuccess is { } success ? Seconds(now - success) : null,
                state.LastError,
                state.FailingSince,
                state.Items,
                state.Malformed,
                state.LastDuration?.TotalMilliseconds,
                state.Note))]);
    }

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);
}
