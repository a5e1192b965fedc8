using IncidentService.Api.Hosting;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.AddIncidentService();

var app = builder.Build();
app.MapIncidentService();
try
{
    app.Run();
}
catch (OptionsValidationException invalid)
{
    // Configuration errors are the operator's to fix: say which keys, without a stack trace.
    Console.Error.WriteLine($"Invalid configuration: {string.Join(" ", invalid.Failures)}");
    return 1;
}

return 0;

/// <summary>The entry point, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
