using System.Diagnostics.Metrics;
using IncidentService.Api.Telemetry;

namespace IncidentService.Api.Web.Live;

/// <summary>The change streams' instruments, on the service's one Meter (the factory hands out the same one by name).</summary>
public sealed class LiveMetrics
{
    private readonly Counter<long> _events;

    public LiveMetrics(IMeterFactory meters, LiveStreams streams)
    {
        var meter = meters.Create(IncidentMetrics.MeterName);
        meter.CreateObservableUpDownCounter("incidents.live.streams", () => streams.Open, unit: "{stream}", description: "Change streams (GET /incidents/changes) open now.");
        _events = meter.CreateCounter<long>("incidents.live.events", unit: "{event}", description: "Snapshot events sent on change streams, all streams together.");
    }

    public void Sent() => _events.Add(1);
}
