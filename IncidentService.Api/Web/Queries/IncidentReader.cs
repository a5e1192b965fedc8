using System.Globalization;
using IncidentService.Api.Telemetry;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Serving;
using IncidentService.Core.Querying;

namespace IncidentService.Api.Web.Queries;

/// <summary>
/// What the incident controllers answer, from the snapshot in memory: a stored representation, one built on request
/// for a filter (kept with the snapshot), or the problem instead. One instance for the process; public so that the
/// controllers, which MVC needs public, can take it.
/// </summary>
public sealed class IncidentReader
{

    private readonly ServedSnapshots _served;
    private readonly SnapshotViews _views;
    private readonly IncidentMetrics _metrics;
    private readonly FilterCharge _charge;
    private readonly TimeSpan _firstSnapshotWait;

    internal IncidentReader(ServedSnapshots served, SnapshotViews views, IncidentMetrics metrics, FilterCharge charge)
    {
        (_served, _views, _metrics, _charge) = (served, views, metrics, charge);
        _firstSnapshotWait = served.FirstSnapshotWait;
    }

    // Each answer is decided now when a snapshot is served (every request but those of a service just started), and
    // after the first snapshot otherwise: the slow path is a method of its own, so the fast one allocates no closure.

    internal SnapshotAnswer Incidents(HttpContext http)
    {
        var query = _views.Parse(http.Request.Query);
        if (query is InvalidQuery invalid)
        {
            return SnapshotAnswer.BadQuery(invalid, _metrics);
        }

        var filter = ((ValidQuery)query).Filter;
        return _served.Served is { } served ? Incidents(http, served, filter) : IncidentsLater(http, filter);
    }

    internal SnapshotAnswer Employee(string employeeId)
    {
        if (!long.TryParse(employeeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return SnapshotAnswer.InvalidEmployeeId(_metrics);
        }

        return _served.Served is { } served ? Employee(served, id) : EmployeeLater(id);
    }

    internal SnapshotAnswer Unresolved() =>
        _served.Served is { } served ? Unresolved(served) : Later(Unresolved);

    internal SnapshotAnswer Summary(HttpContext http)
    {
        var query = _views.Parse(http.Request.Query);
        if (query is InvalidQuery invalid)
        {
            return SnapshotAnswer.BadQuery(invalid, _metrics);
        }

        var filter = ((ValidQuery)query).Filter;
        return _served.Served is { } served ? Built(http, served, FilteredView.Summary, filter) : SummaryLater(http, filter);
    }

    private SnapshotAnswer Incidents(HttpContext http, ServedSnapshot served, IncidentFilter filter) =>
        filter.IsEverything ? SnapshotAnswer.Of(served, served.All, _metrics) : Built(http, served, FilteredView.Incidents, filter);

    private SnapshotAnswer Employee(ServedSnapshot served, long id) =>
        served.Employee(id) is { } employee ? SnapshotAnswer.Of(served, employee, _metrics) : SnapshotAnswer.NoEmployee(id, _metrics);

    private SnapshotAnswer Unresolved(ServedSnapshot served) => SnapshotAnswer.Of(served, served.Unresolved, _metrics);

    private SnapshotAnswer IncidentsLater(HttpContext http, IncidentFilter filter) => Later(served => Incidents(http, served, filter));

    private SnapshotAnswer EmployeeLater(long id) => Later(served => Employee(served, id));

    private SnapshotAnswer SummaryLater(HttpContext http, IncidentFilter filter) => Later(served => Built(http, served, FilteredView.Summary, filter));

    /// <summary>The answer once the first snapshot is in; 503 if it does not come within the wait.</summary>
    private SnapshotAnswer Later(Func<ServedSnapshot, SnapshotAnswer> answer) => SnapshotAnswer.Later(
        async cancellationToken => await _served.WaitServedAsync(_firstSnapshotWait, cancellationToken) is { } served
            ? answer(served)
            : SnapshotAnswer.NotReady(_firstSnapshotWait, _metrics),
        _metrics);

    /// <summary>
    /// A view under a filter, built once per snapshot and kept with it. Building reads the whole snapshot, so a
    /// caller who asks for one not built yet pays for it from its rate limit first (the unfiltered summary is
    /// prepared as the snapshot comes in: it costs nothing more).
    /// </summary>
    private SnapshotAnswer Built(HttpContext http, ServedSnapshot served, FilteredView view, IncidentFilter filter)
    {
        var key = new FilteredKey(view, filter.Key);
        if (served.Filtered.TryGet(key, out var kept))
        {
            return SnapshotAnswer.Of(served, kept, _metrics);
        }

        if (!filter.IsEverything && !_charge.TryCharge(http, served.Snapshot.Json.LongLength, out var retryAfter))
        {
            return SnapshotAnswer.OverBudget(retryAfter, _metrics);
        }

        var snapshot = served.Snapshot;
        var answer = served.Filtered.GetOrBuild(key, () => Representation.Deferred(
            view == FilteredView.Summary ? _views.Summary(snapshot, filter) : _views.Incidents(snapshot, filter),
            EntityTag.View(snapshot, view, filter),
            SnapshotCompression.Default));
        return SnapshotAnswer.Of(served, answer, _metrics);
    }
}
