namespace IncidentService.Upstream;

/// <summary>
/// What the process hosting the client settles for the <c>Upstream</c> section: whether an unset <c>Upstream:BaseUrl</c>
/// may fall back to a connection the host supplies (the embedded simulator), and the cycle each target is called in,
/// which the timeouts not configured follow.
/// </summary>
/// <param name="EnvironmentName">The host's environment, named when a missing base URL stops startup.</param>
/// <param name="FallbackAllowed">True when the host supplies the connection without a base URL.</param>
/// <param name="CallInterval">Time between calls at one target; null keeps the timeouts' own defaults.</param>
public sealed record UpstreamHosting(string EnvironmentName, bool FallbackAllowed, TimeSpan? CallInterval)
{
    /// <summary>A caller that registers its own <see cref="UpstreamConnection"/> and keeps the default timeouts.</summary>
    public static UpstreamHosting SuppliedConnection { get; } = new("", FallbackAllowed: true, CallInterval: null);
}
