using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace IncidentService.Api.Hosting.OpenApi;

/// <summary>
/// Each operation's <c>operationId</c>, the name a generated client gives its method. An explicit map, so renaming a C#
/// method never renames a client's method; an action missing here stops the document from being generated.
/// </summary>
internal static class OperationIds
{
    private static readonly Dictionary<(string Controller, string Action), string> Ids = new()
    {
        [("Incidents", "GetAll")] = "listIncidents",
        [("Incidents", "GetEmployee")] = "getEmployeeIncidents",
        [("Incidents", "GetUnresolved")] = "listUnresolvedIncidents",
        [("IncidentSummary", "GetSummary")] = "getIncidentSummary",
        [("Status", "Get")] = "getStatus",
    };

    public static string Of(ApiDescription api) =>
        api.ActionDescriptor is ControllerActionDescriptor action && Ids.TryGetValue((action.ControllerName, action.ActionName), out var id)
            ? id
            : throw new InvalidOperationException($"No operationId for {api.ActionDescriptor.DisplayName}: add one to {nameof(OperationIds)}.");
}
