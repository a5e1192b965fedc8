using IncidentService.Api.Telemetry;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IncidentService.Api.Queries;

/// <summary>Counts every answer of an action in <c>incidents_responses_total</c> by its final status (a 304 is only known once the result runs).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
internal sealed class CountAnswersAttribute : ActionFilterAttribute
{
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        var response = context.HttpContext.Response;
        var metrics = context.HttpContext.RequestServices.GetRequiredService<IncidentMetrics>();
        response.OnStarting(() =>
        {
            metrics.Answered(response.StatusCode);
            return Task.CompletedTask;
        });
    }
}
