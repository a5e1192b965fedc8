using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// 401 and 403 as problem+json. A 401 challenges every configured scheme, so the client learns each way in
/// (one <c>WWW-Authenticate</c> per scheme); neither header nor body says why a credential failed.
/// </summary>
internal sealed class AccessResultHandler(IProblemDetailsService problems, AccessTelemetry telemetry, AccessSchemes schemes)
    : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // A credential that failed was counted by its own handler, with the reason; here only its absence.
            if (!AccessSchemes.CarriesCredentials(context.Request))
            {
                telemetry.Refused(context, AccessScheme.None, AuthFailure.Missing);
            }

            foreach (var scheme in schemes.Challenged)
            {
                await context.ChallengeAsync(scheme);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await WriteAsync(context, "Unauthorized", $"Send a bearer token (Authorization: Bearer …) or an API key ({ApiKeyAuthenticationHandler.HeaderName}).");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            telemetry.Refused(context, AccessSchemes.SchemeOf(context.User), AuthFailure.InsufficientScope);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await WriteAsync(context, "Forbidden", "These credentials do not grant access to this resource.");
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private async Task WriteAsync(HttpContext context, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = context.Response.StatusCode, Title = title, Detail = detail },
        });
}
