using System.Collections.Frozen;

namespace IncidentService.Api.Web.Serving;

/// <summary>What a filtered answer is built as: the incidents that match, or their counts.</summary>
public enum FilteredView
{
    Incidents,
    Summary,
}

/// <summary>The public labels of <see cref="FilteredView"/>: the part of the ETag that names the view.</summary>
public static class FilteredViews
{
    public static readonly FrozenDictionary<FilteredView, string> Labels = new Dictionary<FilteredView, string>
    {
        [FilteredView.Incidents] = "incidents",
        [FilteredView.Summary] = "summary",
    }.ToFrozenDictionary();

    public static string Label(FilteredView view) => Labels[view];
}
