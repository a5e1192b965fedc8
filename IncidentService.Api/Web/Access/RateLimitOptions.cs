namespace IncidentService.Api.Web.Access;

/// <summary>
/// One token bucket per principal (per client IP when anonymous). The defaults sit far above a dashboard fleet
/// (a few requests a minute each) and far below a runaway loop (thousands a second).
/// </summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Sustained requests per second; fractions allowed (0.5 = one every 2 s).</summary>
    public double PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests a client may send at once after being idle.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>
    /// A filtered answer not built yet costs one more request per this many bytes of the snapshot (1 MiB): at
    /// today's size nothing more, at a 57 MB snapshot 55 requests.
    /// </summary>
    public long FilterBytesPerPermit { get; set; } = 1024 * 1024;
}

/// <summary>Browser dashboards on other origins.</summary>
internal sealed class CorsAccessOptions
{
    public const string SectionName = "Cors";

    /// <summary>Origins such as <c>https://dashboard.example</c>; none by default.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
