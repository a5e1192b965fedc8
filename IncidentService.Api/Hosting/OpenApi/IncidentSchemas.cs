using System.Text.Json.Nodes;
using IncidentService.Core;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IncidentService.Api.Hosting.OpenApi;

/// <summary>
/// The incident schema: one per feed, with that feed's known fields, joined by <c>oneOf</c> on <c>type</c>. Fields the
/// upstream adds are kept as received, so each allows more. <c>type</c>, <c>priority</c> and <c>timestamp</c> are always
/// there; the person's field is there for every attributed incident (an unresolved one may lack it).
/// </summary>
internal sealed class IncidentSchemas : IDocumentFilter
{
    public const string Incident = "Incident";

    private static readonly (string Feed, (string Name, string Description, JsonSchemaType? Type)[] Fields)[] Feeds =
    [
        ("denial", [("reported_by", "The reporting employee's id.", JsonSchemaType.Integer), ("source_ip", "The external source.", JsonSchemaType.String)]),
        ("intrusion", [("internal_ip", "The employee's machine (resolved by the identities).", JsonSchemaType.String), ("source_ip", "The external source.", JsonSchemaType.String)]),
        ("executable", [("machine_ip", "The employee's machine (resolved by the identities).", JsonSchemaType.String)]),
        ("misuse", [("employee_id", "The employee's id.", JsonSchemaType.Integer)]),
        ("unauthorized", [("employee_id", "The employee's id.", JsonSchemaType.Integer)]),
        ("probing", [("ip", "The employee's machine (resolved by the identities).", JsonSchemaType.String)]),
        ("other", [("identifier", "An employee id (a number) or a machine's IP (a string).", null)]),
    ];

    public static string SchemaId(string feed) => $"{char.ToUpperInvariant(feed[0])}{feed[1..]}Incident";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = context.SchemaRepository.Schemas;
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        foreach (var (feed, fields) in Feeds)
        {
            var properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(feed)], Description = "The feed it came from." },
                ["priority"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. Priorities.All.Select(p => (JsonNode)JsonValue.Create(Priorities.Name(p)))],
                    Description = "Written lower-case, whatever the upstream's case.",
                },
                ["timestamp"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Number,
                    Description = "Epoch seconds, digits exactly as the upstream sent them (up to 17 significant digits: more than a JavaScript number keeps).",
                },
            };
            foreach (var (name, description, type) in fields)
            {
                properties[name] = type is { } known
                    ? new OpenApiSchema { Type = known, Description = description }
                    : new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Integer }, new OpenApiSchema { Type = JsonSchemaType.String }], Description = description };
            }

            schemas[SchemaId(feed)] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"An incident of the {feed} feed: the upstream item with its fields in the upstream's order, type first.",
                Properties = properties,
                Required = new HashSet<string> { "type", "priority", "timestamp" },
                AdditionalPropertiesAllowed = true,
                AdditionalProperties = new OpenApiSchema(),
            };
            mapping[feed] = new OpenApiSchemaReference(SchemaId(feed), document);
        }

        schemas[Incident] = new OpenApiSchema
        {
            Description = "One incident as the upstream sent it, with type (the feed) first and the priority lower-case.",
            OneOf = [.. mapping.Values],
            Discriminator = new OpenApiDiscriminator { PropertyName = "type", Mapping = mapping },
        };
    }
}
