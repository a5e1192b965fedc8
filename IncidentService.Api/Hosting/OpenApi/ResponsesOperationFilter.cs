using System.Text.Json.Nodes;
using IncidentService.Api.Web.Routing;
using IncidentService.Api.Web.Serving;
using IncidentService.Core;
using IncidentService.Core.Querying;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IncidentService.Api.Hosting.OpenApi;

/// <summary>
/// What the attributes cannot say: the headers of each answer, the filters of <c>/incidents</c> and its summary, and
/// the answers any operation can give (429 from the rate limiter, 500 from the exception handler).
/// </summary>
internal sealed class ResponsesOperationFilter : IOperationFilter
{
    private static readonly string[] SnapshotOperations = [OperationIds.ListIncidents, OperationIds.GetEmployeeIncidents, OperationIds.ListUnresolvedIncidents, OperationIds.GetIncidentSummary];
    private static readonly string[] FilteredOperations = [OperationIds.ListIncidents, OperationIds.GetIncidentSummary];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        Add(operation, "429", "Over this client's rate limit; retry after Retry-After seconds.");
        Add(operation, "500", "An unexpected error; the log has its trace id.");
        Header(operation, "503", "Retry-After", "Seconds to wait before asking again.", JsonSchemaType.Integer);
        Header(operation, "429", "Retry-After", "Seconds to wait before asking again.", JsonSchemaType.Integer);
        Header(operation, "401", "WWW-Authenticate", "One challenge per configured scheme (Bearer, ApiKey).", JsonSchemaType.String);
        if (SnapshotOperations.Contains(operation.OperationId))
        {
            foreach (var status in new[] { "200", "304" })
            {
                Header(operation, status, "ETag", "Strong validator of this answer: send it in If-None-Match to get 304 while nothing changed.", JsonSchemaType.String);
                Header(operation, status, SnapshotAnswer.MissingFeedsHeader, "Only when the snapshot lacks feeds that never answered: their names, comma-separated. The body is then incomplete.", JsonSchemaType.String);
            }

            Header(operation, "200", "Last-Modified", "When what the snapshot serves last changed.", JsonSchemaType.String);
            Header(operation, "200", "Cache-Control", "private, no-cache: keep a copy, revalidate it with the ETag.", JsonSchemaType.String);
        }

        if (FilteredOperations.Contains(operation.OperationId))
        {
            AddFilters(operation);
        }
    }

    private static void AddFilters(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(ListParameter(
            IncidentQuery.Priority,
            "Only these priorities: repeat the parameter or separate them with commas (case-insensitive).",
            Priorities.All.Select(Priorities.Name)));
        operation.Parameters.Add(ListParameter(
            IncidentQuery.Type,
            "Only incidents of these feeds: repeat the parameter or separate them with commas.",
            FeedDefinition.Defaults.Select(f => f.Name)));
        operation.Parameters.Add(TimeParameter(IncidentQuery.Since, "Only incidents with a timestamp at or after this time: epoch seconds such as 1764000000, a fraction allowed."));
        operation.Parameters.Add(TimeParameter(IncidentQuery.Until, "Only incidents with a timestamp before this time (epoch seconds, a fraction allowed); later than since."));
    }

    private static OpenApiParameter ListParameter(string name, string description, IEnumerable<string> values) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Style = ParameterStyle.Form,
        Explode = true,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] },
        },
    };

    private static OpenApiParameter TimeParameter(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        // No example: Swagger UI's "Try it out" would fill it in, and every first try would be filtered.
        Schema = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0" },
    };

    private static void Add(OpenApiOperation operation, string status, string description) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", null) },
            },
        });

    private static void Header(OpenApiOperation operation, string status, string name, string description, JsonSchemaType type)
    {
        if (operation.Responses!.TryGetValue(status, out var response) && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
        }
    }
}
