namespace IncidentService.Api.Poller.Cluster;

/// <summary>The <c>Redis</c> section: setting <see cref="Configuration"/> turns clustering on.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, such as <c>127.0.0.1:6379</c>; unset, the service runs alone.</summary>
    public string? Configuration { get; set; }
}
