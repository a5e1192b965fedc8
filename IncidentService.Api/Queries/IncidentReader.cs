using System.Globalization;
using IncidentService.Api.Access;
using IncidentService.Api.Refresh;
using IncidentService.Api.Serving;
using IncidentService.Api.Telemetry;
using IncidentService.Core;

namespace IncidentService.Api.Queries;

/// <summary>
/// What the incident controllers answer, from the snapshot in memory: a stored representation, one built on request
/// for a filter (kept with the snapshot), or the problem instead. One instance for the process; public so that the
/// controllers, which MVC needs public, can take it.
/// </summary>
public sealed class IncidentReader
{
    private const string IncidentsView = "incidents";
    private const string SummaryView = "summary";

    private readonly SnapshotStore _store;
    private readonly SnapshotViews _views;
    private readonly IncidentMetrics _metrics;
    private readonly FilterCharge _charge;
    private readonly TimeSpan _firstSnapshotWait;

    internal IncidentReader(SnapshotStore store, SnapshotViews views, IncidentMetrics metrics, FilterCharge charge, RefreshOptions options)
    {
        (_store, _views, _metrics, _charge) = (store, views, metrics, charge);
        _firstSnapshotWait = options.FirstSnapshotWait;
    }

    internal async Task<SnapshotAnswer> IncidentsAsync(HttpContext http)
    {
        var query = _views.Parse(http.Request.Query);
        if (query is InvalidQuery invalid)
        {
            return SnapshotAnswer.BadQuery(invalid, _metrics);
        }

        var filter = ((ValidQuery)query).Filter;
        var served = await _store.WaitServedAsync(_firstSnapshotWait, http.RequestAborted);
        return served is null ? SnapshotAnswer.NotReady(_firstSnapshotWait, _metrics)
            : filter.IsEverything ? SnapshotAnswer.Of(served, served.All, _metrics)
            : Built(http, served, IncidentsView, filter);
    }

    internal async Task<SnapshotAnswer> EmployeeAsync(HttpContext http, string employeeId)
    {
        if (!long.TryParse(employeeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return SnapshotAnswer.InvalidEmployeeId(_metrics);
        }

        var served = await _store.WaitServedAsync(_firstSnapshotWait, http.RequestAborted);
        return served is null ? SnapshotAnswer.NotReady(_firstSnapshotWait, _metrics)
            : served.Employee(id) is { } employee ? SnapshotAnswer.Of(served, employee, _metrics)
            : SnapshotAnswer.NoEmployee(id, _metrics);
    }

    internal async Task<SnapshotAnswer> UnresolvedAsync(HttpContext http)
    {
        var served = await _store.WaitServedAsync(_firstSnapshotWait, http.RequestAborted);
        return served is null ? SnapshotAnswer.NotReady(_firstSnapshotWait, _metrics) : SnapshotAnswer.Of(served, served.Unresolved, _metrics);
    }

    internal async Task<SnapshotAnswer> SummaryAsync(HttpContext http)
    {
        var query = _views.Parse(http.Request.Query);
        if (query is InvalidQuery invalid)
        {
            return SnapshotAnswer.BadQuery(invalid, _metrics);
        }

        var served = await _store.WaitServedAsync(_firstSnapshotWait, http.RequestAborted);
        return served is null ? SnapshotAnswer.NotReady(_firstSnapshotWait, _metrics) : Built(http, served, SummaryView, ((ValidQuery)query).Filter);
    }

    /// <summary>
    /// A view under a filter, built once per snapshot and kept with it. Building reads the whole snapshot, so a
    /// caller who asks for one not built yet pays for it from its rate limit first (the unfiltered summary is
    /// prepared as the snapshot comes in: it costs nothing more).
    /// </summary>
    private SnapshotAnswer Built(HttpContext http, ServedSnapshot served, string view, IncidentFilter filter)
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
            view == SummaryView ? _views.Summary(snapshot, filter) : _views.Incidents(snapshot, filter),
            EntityTag.View(snapshot, view, filter),
            SnapshotCompression.Default));
        return SnapshotAnswer.Of(served, answer, _metrics);
    }
}
