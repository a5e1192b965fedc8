using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace IncidentService.Api.Web.Routing;

/// <summary>
/// Each operation's <c>operationId</c>, the name a generated client gives its method, given to its endpoint by name.
/// Explicit, so renaming a C# method never renames a client's method; an endpoint without one stops the document from
/// being generated.
/// </summary>
internal static class OperationIds
{
    public const string ListIncidents = "listIncidents";
    public const string GetEmployeeIncidents = "getEmployeeIncidents";
    public const string ListUnresolvedIncidents = "listUnresolvedIncidents";
    public const string GetIncidentSummary = "getIncidentSummary";
    public const string GetStatus = "getStatus";
    public const string WatchIncidentChanges = "watchIncidentChanges";

    public static string Of(ApiDescription api) =>
        api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName
            // A controller action's name is its attribute route's (HttpGet(Name = ...)).
            ?? api.ActionDescriptor.AttributeRouteInfo?.Name
            ?? throw new InvalidOperationException($"No operationId for {api.ActionDescriptor.DisplayName}: name its endpoint with one of {nameof(OperationIds)}.");
}
