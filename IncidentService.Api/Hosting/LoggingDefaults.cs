namespace IncidentService.Api.Hosting;

/// <summary>
/// The log levels the service needs in every environment, in code so that they hold without <c>appsettings.json</c>:
/// without them every request writes four Information lines (100 MB in 50 s of load). Configuration
/// (<c>Logging:LogLevel:&lt;category&gt;</c>) still overrides each of them.
/// </summary>
internal static class LoggingDefaults
{
    private static readonly (string Category, LogLevel Level)[] Levels =
    [
        ("Microsoft.AspNetCore", LogLevel.Warning),
        ("System.Net.Http.HttpClient", LogLevel.Warning),
        ("Polly", LogLevel.Warning),
        ("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical),
    ];

    public static WebApplicationBuilder AddLoggingDefaults(this WebApplicationBuilder builder)
    {
        // First in the list: of two rules for the same category the later wins, so configured levels come out on top.
        builder.Services.Configure<LoggerFilterOptions>(filters =>
        {
            for (var i = 0; i < Levels.Length; i++)
            {
                filters.Rules.Insert(i, new LoggerFilterRule(null, Levels[i].Category, Levels[i].Level, null));
            }
        });
        return builder;
    }
}
