using System.Reflection;
using IncidentService.Api.Configuration;
using IncidentService.Api.Hosting.OpenApi;
using IncidentService.Api.Web.Controllers;
using IncidentService.Api.Web.Routing;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace IncidentService.Api.Hosting;

/// <summary>Swagger UI at <c>/swagger</c> in every environment, unless <c>Swagger:Enabled</c> is false.</summary>
internal static class ApiDocumentationExtensions
{
    private const string SwaggerPath = "/swagger";

    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<SwaggerOptions>(builder.Configuration, SwaggerOptions.SectionName);
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "IncidentService",
                Version = "v1",
                Description = "Every employee's security incidents from the seven upstream feeds, grouped by priority, in time order, served from memory.",
            });
            swagger.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml"));
            // For generated clients (docs/openapi.json): stable method names, what is always there required and not
            // nullable, typed incidents, every header and status, real examples.
            swagger.CustomOperationIds(OperationIds.Of);
            // HEAD is GET without the body (RFC 9110), described by the GET beside it; listed apart, it would repeat
            // every operation under the same operationId.
            swagger.DocInclusionPredicate((_, api) => !HttpMethods.IsHead(api.HttpMethod ?? ""));
            swagger.SupportNonNullableReferenceTypes();
            swagger.SchemaFilter<AlwaysPresentSchemaFilter>();
            swagger.MapType<IncidentJson>(() => new OpenApiSchemaReference(IncidentSchemas.Incident, null));
            swagger.DocumentFilter<IncidentSchemas>();
            swagger.OperationFilter<ResponsesOperationFilter>();
            swagger.OperationFilter<ExamplesOperationFilter>();
        });
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SwaggerOptions>>().Value.Enabled)
        {
            // Only on its own paths: Swashbuckle's middleware builds a document generator for every request it sees.
            app.UseWhen(context => context.Request.Path.StartsWithSegments(SwaggerPath), swagger => swagger
                .UseSwagger()
                .UseSwaggerUI(ui =>
                {
                    ui.DocumentTitle = "IncidentService API";
                    ui.SwaggerEndpoint("/swagger/v1/swagger.json", "IncidentService v1");
                }));
        }

        return app;
    }
}
