using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;

namespace IncidentService.Api.Web.Access;

/// <summary>Response headers of access control, set when the response starts (so an error page that clears headers still gets them).</summary>
internal static class AccessHeaders
{
    public static WebApplication UseAccessHeaders(this WebApplication app, bool cors, bool varyByCredentials)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (cors)
                {
                    OriginVary.Add(headers);
                }

                // A shared cache must not hand one caller's answer to another who sends other credentials.
                if (varyByCredentials && context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null)
                {
                    headers.Append(HeaderNames.Vary, $"{HeaderNames.Authorization}, {ApiKeyAuthenticationHandler.HeaderName}");
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
