using IncidentService.Api.Snapshots;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Routing;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace IncidentService.Api.Web.Controllers;

/// <summary>The service's own view of its data. Made per request: the upstream connection exists only once the host has started.</summary>
[ApiController]
[Tags("Status")]
public sealed class StatusController(SnapshotStore store, IFeedStatus board, IClusterStatus cluster, UpstreamConnection upstream, RefreshPolicy policy, TimeProvider time)
    : ControllerBase
{
    /// <summary>Per-feed status (last attempt, success, error, items, duration, age), the snapshot's completeness, age and counts, and readiness.</summary>
    /// <response code="200">The status; a feed with <c>stale: true</c> is being served from older data (or none), see <c>lastError</c>.</response>
    [HttpGet(ServiceRoutes.Status)]
    [EndpointName(OperationIds.GetStatus)]
    [Authorize(Policy = AccessPolicies.ReadAll)]
    [ProducesResponseType<ServiceStatus>(StatusCodes.Status200OK, "application/json")]
    public ActionResult<ServiceStatus> Get() => ServiceStatusReport.Build(store, board, cluster, upstream, policy, time);
}
