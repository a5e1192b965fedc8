namespace IncidentService.Api.Hosting;

/// <summary>The API documentation (section <c>Swagger</c>).</summary>
public sealed class SwaggerOptions
{
    public const string SectionName = "Swagger";

    /// <summary>Serve Swagger UI and the OpenAPI document at <c>/swagger</c>.</summary>
    public bool Enabled { get; set; } = true;
}
