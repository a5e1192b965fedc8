using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// Each operation under <c>[Authorize]</c> requires one of the configured schemes (either one: separate
/// requirements), so Swagger UI's Authorize button sends the credential with "Try it out".
/// </summary>
internal sealed class SecurityRequirementsOperationFilter(AccessSchemes schemes, bool open) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
        {
            return;
        }

        operation.Security ??= [];
        foreach (var scheme in Declared(schemes))
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
        }

        if (open)
        {
            operation.Security.Add(new OpenApiSecurityRequirement()); // anonymous is allowed too
            return;
        }

        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token or API key." });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The credentials lack the scope for this resource." });
        operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Over this client's rate limit; retry after Retry-After seconds." });
    }

    public static IEnumerable<string> Declared(AccessSchemes schemes)
    {
        if (schemes.Jwt)
        {
            yield return JwtBearerDefaults.AuthenticationScheme;
        }

        if (schemes.ApiKeys)
        {
            yield return ApiKeyAuthenticationHandler.SchemeName;
        }
    }

    public static void Declare(SwaggerGenOptions swagger, AccessSchemes schemes)
    {
        if (schemes.Jwt)
        {
            swagger.AddSecurityDefinition(JwtBearerDefaults.AuthenticationScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"A JWT from the configured issuer with scope {AccessScopes.ReadAll} (or {AccessScopes.ReadSelf} and employee_id for one's own incidents).",
            });
        }

        if (schemes.ApiKeys)
        {
            swagger.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "A service account's API key.",
            });
        }
    }
}
