using Microsoft.AspNetCore.Mvc;

namespace IncidentService.Api.Web.Controllers;

/// <summary>An answer with this status is a problem+json body (RFC 9457), as every refusal and error here is.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ProducesProblemAttribute(int statusCode)
    : ProducesResponseTypeAttribute(typeof(ProblemDetails), statusCode, ProblemContentType)
{
    public const string ProblemContentType = "application/problem+json";
}
