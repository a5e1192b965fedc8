namespace IncidentService.Api.Web.Routing;

/// <summary>
/// Every route the service answers, spelled once. The API routes are whole paths without a leading slash (each is the
/// <c>http_route</c> label of the request metrics, which dashboards and alerts select on); the operational ones are
/// request paths, as the probes and the scrape ask for them.
/// </summary>
internal static class ServiceRoutes
{
    /// <summary>The route value naming one employee.</summary>
    public const string EmployeeId = "employeeId";

    public const string Incidents = "incidents";
    public const string EmployeeIncidents = Incidents + "/{" + EmployeeId + "}";
    public const string UnresolvedIncidents = Incidents + "/unresolved";
    public const string IncidentSummary = Incidents + "/summary";
    public const string IncidentChanges = Incidents + "/changes";
    public const string Status = "status";

    /// <summary>Liveness: answers while the process serves at all.</summary>
    public const string Liveness = "/healthz";

    /// <summary>Readiness: answers 200 only while the data served is fresh enough.</summary>
    public const string Readiness = "/readyz";

    /// <summary>The Prometheus scrape.</summary>
    public const string Metrics = "/metrics";
}
