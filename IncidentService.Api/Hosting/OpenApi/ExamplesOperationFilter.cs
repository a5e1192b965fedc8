using System.Text.Json.Nodes;
using IncidentService.Api.Web.Routing;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IncidentService.Api.Hosting.OpenApi;

/// <summary>
/// Real answers as examples: what the embedded simulator (seed 2021) serves at 2026-11-29 12:00 UTC, lists cut to
/// their first entries (<c>OpenApi/examples.json</c>; a test checks them against the service and can rewrite them).
/// </summary>
internal sealed class ExamplesOperationFilter : IOperationFilter
{
    public const string ResourceName = "IncidentService.Api.OpenApi.examples.json";

    private static readonly Lazy<JsonObject> Examples = new(() =>
    {
        using var stream = typeof(ExamplesOperationFilter).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded");
        return JsonNode.Parse(stream)!.AsObject();
    });

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var examples = Examples.Value;
        var employeeId = examples["employeeId"]!.GetValue<string>();
        var example = operation.OperationId switch
        {
            OperationIds.ListIncidents => new JsonObject { [employeeId] = examples["employee"]!.DeepClone() },
            OperationIds.GetEmployeeIncidents => examples["employee"]!.DeepClone(),
            OperationIds.ListUnresolvedIncidents => examples["unresolved"]!.DeepClone(),
            OperationIds.GetIncidentSummary => examples["summary"]!.DeepClone(),
            _ => null,
        };
        if (example is not null && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType json)
        {
            json.Example = example;
        }

        if (operation.OperationId == OperationIds.GetEmployeeIncidents && operation.Parameters?.FirstOrDefault(p => p.Name == ServiceRoutes.EmployeeId) is OpenApiParameter id)
        {
            id.Example = JsonValue.Create(employeeId);
        }
    }
}
