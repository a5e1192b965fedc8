namespace IncidentService.Api.Hosting;

/// <summary>
/// http://localhost:9000 when no address is given. Applied only then, so every way the platform offers still works, in
/// its own order: <c>--urls</c>, then a <c>Urls</c> variable or setting, then <c>ASPNETCORE_URLS</c>; ports
/// (<c>ASPNETCORE_HTTP_PORTS</c>) and <c>Kestrel:Endpoints</c> count as given too.
/// </summary>
internal static class DefaultAddress
{
    public const string Url = "http://localhost:9000";

    public static WebApplicationBuilder UseDefaultAddress(this WebApplicationBuilder builder)
    {
        if (IsUnset(builder.Configuration))
        {
            builder.WebHost.UseUrls(Url);
        }

        return builder;
    }

    internal static bool IsUnset(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey]) &&
        string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey]) &&
        string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey]) &&
        !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
