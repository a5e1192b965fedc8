namespace IncidentService.Api.Hosting;

/// <summary>
/// The content root is where the service is installed, not the working directory, so that
/// <c>cd / &amp;&amp; dotnet /app/IncidentService.Api.dll</c> still reads its own <c>appsettings.json</c>. A content root
/// given explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>) still wins.
/// </summary>
internal static class InstalledContentRoot
{
    public static WebApplicationOptions Options(string[] args)
    {
        var explicitRoot = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        return new WebApplicationOptions { Args = args, ContentRootPath = string.IsNullOrEmpty(explicitRoot) ? AppContext.BaseDirectory : null };
    }
}
