namespace IncidentService.Upstream;

/// <summary>
/// Whether this process may send the upstream anything at this instant: consulted immediately before every attempt
/// (retries included), after its slot is taken. In a cluster it is the poller's term, checked by this process's own
/// monotonic clock, so a replica resumed after a pause, or cut off from Redis, sends nothing once its term is over.
/// </summary>
public interface IUpstreamAdmission
{
    /// <summary>Returns when a request may be sent now; otherwise throws <see cref="OperationCanceledException"/>.</summary>
    void ThrowIfNotAdmitted();
}

/// <summary>A process that polls alone may always send (the gate alone bounds it).</summary>
internal sealed class AlwaysAdmitted : IUpstreamAdmission
{
    public void ThrowIfNotAdmitted()
    {
    }
}
