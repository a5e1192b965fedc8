using System.Reflection;
using Microsoft.OpenApi;

namespace IncidentService.Api.Hosting;

/// <summary>Swagger UI at <c>/swagger</c> in every environment, unless <c>Swagger:Enabled</c> is false.</summary>
internal static class ApiDocumentationExtensions
{
    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
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
        });
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        if (app.Configuration.GetValue("Swagger:Enabled", defaultValue: true))
        {
            app.UseSwagger();
            app.UseSwaggerUI(ui =>
            {
                ui.DocumentTitle = "IncidentService API";
                ui.SwaggerEndpoint("/swagger/v1/swagger.json", "IncidentService v1");
            });
        }

        return app;
    }
}
