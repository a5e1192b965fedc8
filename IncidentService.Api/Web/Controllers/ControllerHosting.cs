using IncidentService.Api.Telemetry;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Queries;
using IncidentService.Api.Web.Serving;
using Microsoft.AspNetCore.Mvc;

namespace IncidentService.Api.Web.Controllers;

/// <summary>
/// MVC with only what these controllers use: the core (attribute routing, the action invoker, model binding of a
/// route value, the JSON formatter for <c>/status</c>) and the API explorer for the OpenAPI document. No global
/// filters and no input formatters: no action reads a body. Authorization, CORS and the rate limit act on the
/// endpoints, before MVC.
/// </summary>
internal static class ControllerHosting
{
    public static IServiceCollection AddIncidentControllers(this IServiceCollection services)
    {
        services.AddSingleton<FilterCharge>();
        services.AddSingleton(sp => new IncidentReader(
            sp.GetRequiredService<ServedSnapshots>(),
            sp.GetRequiredService<SnapshotViews>(),
            sp.GetRequiredService<IncidentMetrics>(),
            sp.GetRequiredService<FilterCharge>()));
        services.AddMvcCore(mvc =>
            {
                // UnsupportedContentTypeFilter, run around every action: it reports a request body no action reads.
                mvc.Filters.Clear();
                mvc.InputFormatters.Clear();
                mvc.Conventions.Add(new NoActionFilters());
            })
            .AddApiExplorer();
        // The model-state filter is not added: the route value bound is a string, never invalid. Client-error mapping
        // stays on (its filter is taken off by NoActionFilters): MVC's problem writer, which writes the problem answers
        // of controller routes (the rate limiter's and authorization's too), writes nothing with it off.
        services.Configure<ApiBehaviorOptions>(api => api.SuppressModelStateInvalidFilter = true);
        return services;
    }

    /// <summary>
    /// The controllers' routes. A read requires its policy, unless reads are open, when the route allows anyone and the
    /// policy is not evaluated (it took 4 % of a compressed answer's CPU, docs/perf.md); the requirement stays in the
    /// metadata either way, for the OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapIncidentControllers(this IEndpointRouteBuilder app)
    {
        var controllers = app.MapControllers();
        if (app.ServiceProvider.GetRequiredService<AccessSchemes>().Open)
        {
            controllers.AllowAnonymous();
        }

        return app;
    }
}
