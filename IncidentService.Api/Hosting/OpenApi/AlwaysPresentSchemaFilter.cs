using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IncidentService.Api.Hosting.OpenApi;

/// <summary>
/// Every property of the service's own answer types is written, null or not (the JSON options ignore nothing), so
/// each is <c>required</c>; whether it may be null follows its C# nullability. A strict client then needs no null
/// check for what is always there (the four priorities, a count, a list).
/// </summary>
internal sealed class AlwaysPresentSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema { Properties.Count: > 0 } concrete && (context.Type.Namespace == typeof(Web.Controllers.ServiceStatus).Namespace || context.Type == typeof(Web.Live.SnapshotChangeEvent)))
        {
            concrete.Required = new HashSet<string>(concrete.Properties.Keys);
        }
    }
}
