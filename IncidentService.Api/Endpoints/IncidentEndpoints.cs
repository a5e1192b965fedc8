using IncidentService.Api.Access;
using IncidentService.Api.Hosting.OpenApi;

namespace IncidentService.Api.Endpoints;

/// <summary>
/// The API's routes. Endpoints rather than MVC controllers: on a 304 MVC's action pipeline cost more than the answer
/// itself (docs/perf.md), and these routes have nothing to bind but the request.
/// </summary>
internal static class IncidentEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IServiceCollection AddIncidentEndpoints(this IServiceCollection services) =>
        services.AddSingleton<IncidentAnswers>();

    // In the order of the committed OpenAPI document (routing itself prefers "unresolved" to "{employeeId}"). Each
    // pattern whole and without a leading slash: it is the http_route label of the request metrics, as it was before
    // (a group would make the list's "incidents/").
    // The handlers take only the HttpContext, so each is cast to Delegate: as a RequestDelegate its result would be dropped.
    public static IEndpointRouteBuilder MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        var answers = app.ServiceProvider.GetRequiredService<IncidentAnswers>();
        var access = app.ServiceProvider.GetRequiredService<AccessSchemes>();
        app.MapMethods("incidents", GetOrHead, (Delegate)answers.ListAsync)
            .WithTags("Incidents")
            .WithName(OperationIds.ListIncidents)
            .RequireReadAccess(access, AccessPolicies.ReadAll)
            .Produces<Dictionary<string, EmployeeIncidents>>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("incidents/summary", (Delegate)answers.SummaryAsync)
            .WithName(OperationIds.GetIncidentSummary)
            .WithTags("IncidentSummary")
            .RequireReadAccess(access, AccessPolicies.ReadAll)
            .Produces<IncidentSummaryDocument>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapMethods("incidents/{employeeId}", GetOrHead, answers.EmployeeAsync)
            .WithTags("Incidents")
            .WithName(OperationIds.GetEmployeeIncidents)
            .RequireReadAccess(access, AccessPolicies.ReadEmployee)
            .Produces<EmployeeIncidents>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapMethods("incidents/unresolved", GetOrHead, (Delegate)answers.UnresolvedAsync)
            .WithTags("Incidents")
            .WithName(OperationIds.ListUnresolvedIncidents)
            .RequireReadAccess(access, AccessPolicies.ReadAll)
            .Produces<UnresolvedIncidents>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapGet("status", StatusAnswers.Get)
            .WithName(OperationIds.GetStatus)
            .WithTags("Status")
            .RequireReadAccess(access, AccessPolicies.ReadAll)
            .Produces<ServiceStatus>(StatusCodes.Status200OK, "application/json");
        return app;
    }
}
