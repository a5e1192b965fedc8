using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Snapshots;

/// <summary>
/// What another part derives from each snapshot the store installs, once per install and off the request path: the
/// web side's compressed answers, its views and its change stream. Called on the installing thread, in registration
/// order; a listener must not throw.
/// </summary>
public interface ISnapshotListener
{
    /// <summary>Before <paramref name="current"/> is served: what must be ready when anyone can see it.</summary>
    void Preparing(IncidentSnapshot? previous, IncidentSnapshot current)
    {
    }

    /// <summary>After <paramref name="current"/> is served: what announces it.</summary>
    void Installed(IncidentSnapshot? previous, IncidentSnapshot current)
    {
    }
}
