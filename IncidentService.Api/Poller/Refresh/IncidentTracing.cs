using System.Diagnostics;

namespace IncidentService.Api.Poller.Refresh;

/// <summary>Spans for refresh cycles and feed fetches; the per-attempt spans come from the HttpClient instrumentation.</summary>
public static class IncidentTracing
{
    public const string SourceName = "IncidentService";

    public static ActivitySource Source { get; } = new(SourceName);
}
