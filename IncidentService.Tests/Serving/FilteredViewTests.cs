using IncidentService.Api.Web.Serving;

namespace IncidentService.Tests.Serving;

public sealed class FilteredViewTests
{
    [Fact]
    public void Each_view_keeps_the_label_its_etags_carry()
    {
        Assert.Equal("incidents", FilteredViews.Label(FilteredView.Incidents));
        Assert.Equal("summary", FilteredViews.Label(FilteredView.Summary));
        Assert.Equal(Enum.GetValues<FilteredView>().Length, FilteredViews.Labels.Count);
    }
}
