namespace IncidentService.Api.Web.Live;

/// <summary>The <c>Live</c> section: the change stream <c>GET /incidents/changes</c>.</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Live";

    /// <summary>Open streams allowed at once.</summary>
    public LiveStreamLimits MaxStreams { get; set; } = new();

    /// <summary>A comment line this often keeps proxies from closing a quiet stream.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Ids listed in one event's <c>changedEmployees</c>; beyond it the list is cut and flagged.</summary>
    public int MaxChangedEmployees { get; set; } = 1000;
}

/// <summary>The <c>Live:MaxStreams</c> section.</summary>
public sealed class LiveStreamLimits
{
    /// <summary>Streams one client (principal, or address when anonymous) may hold open.</summary>
    public int PerClient { get; set; } = 8;

    /// <summary>Streams the process holds open, all clients together.</summary>
    public int Total { get; set; } = 1000;
}
