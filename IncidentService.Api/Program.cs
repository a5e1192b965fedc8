using IncidentService.Api.Hosting;

InvalidConfigurationExit.Install();
var builder = WebApplication.CreateBuilder(InstalledContentRoot.Options(args));
builder.AddIncidentService();

var app = builder.Build();
app.ValidateConfiguration();
app.MapIncidentService();
app.Run();

/// <summary>The entry point, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
