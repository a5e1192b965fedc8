using IncidentService.Core;
using IncidentService.Core.Querying;


namespace IncidentService.Tests.Core;

public sealed class IncidentQueryTests
{
    private static readonly string[] Feeds = ["denial", "probing", "other"];

    [Fact]
    public void No_parameter_lets_everything_through()
    {
        var filter = Valid();

        Assert.True(filter.IsEverything);
        Assert.Same(IncidentFilter.Everything, filter);
    }

    [Fact]
    public void Repeated_and_listed_values_are_one_set_whatever_their_case_order_or_spaces()
    {
        var filter = Valid(("priority", ["HIGH", " low , high"]), ("Type", ["probing,denial"]));

        Assert.Equal([Priority.Low, Priority.High], filter.Priorities);
        Assert.Equal(["denial", "probing"], filter.Types);
        Assert.False(filter.IsEverything);
        Assert.Equal(Valid(("type", ["denial", "probing"]), ("priority", ["low,high"])).Key, filter.Key);
    }

    [Fact]
    public void Bounds_are_epoch_seconds_with_an_optional_fraction()
    {
        var filter = Valid(("since", ["1500000000"]), ("until", ["1500000000.25"]));

        Assert.Equal(1500000000m, filter.Since);
        Assert.Equal(1500000000.25m, filter.Until);
        Assert.Equal(";;1500000000;1500000000.25", filter.Key);
    }

    [Theory]
    [InlineData("limit", "5", "limit", "unknown query parameter; the known ones are priority, since, until, type")]
    [InlineData("priority", "urgent", "priority", "'urgent' is not a priority; one or more of low, medium, high, critical")]
    [InlineData("priority", ",", "priority", "needs a value")]
    [InlineData("type", "Denial", "type", "'Denial' is not a feed; one or more of denial, probing, other")]
    [InlineData("type", "", "type", "needs a value")]
    [InlineData("since", "1e9", "since", "'1e9' is not a time in epoch seconds, such as 1500000000 or 1500000000.5")]
    [InlineData("until", "-1", "until", "'-1' is not a time in epoch seconds, such as 1500000000 or 1500000000.5")]
    [InlineData("until", " 5", "until", "' 5' is not a time in epoch seconds, such as 1500000000 or 1500000000.5")]
    public void A_bad_parameter_is_named_with_its_problem(string name, string value, string parameter, string problem)
    {
        var invalid = Assert.IsType<InvalidQuery>(Parse((name, [value])));

        Assert.Equal(parameter, invalid.Parameter);
        Assert.Equal(problem, invalid.Problem);
    }

    [Fact]
    public void A_list_parameter_without_a_value_is_refused()
    {
        var invalid = Assert.IsType<InvalidQuery>(IncidentQuery.Parse([KeyValuePair.Create<string, IReadOnlyList<string?>>("type", [null])], Feeds));

        Assert.Equal(new InvalidQuery("type", "needs a value"), invalid);
    }

    [Fact]
    public void A_bound_given_twice_is_refused()
    {
        var invalid = Assert.IsType<InvalidQuery>(Parse(("since", ["1", "2"])));

        Assert.Equal(new InvalidQuery("since", "given more than once"), invalid);
    }

    [Theory]
    [InlineData("10", "10")]
    [InlineData("10", "9.5")]
    public void Until_must_be_later_than_since(string since, string until)
    {
        var invalid = Assert.IsType<InvalidQuery>(Parse(("since", [since]), ("until", [until])));

        Assert.Equal(new InvalidQuery("until", $"must be later than since ({since})"), invalid);
    }

    [Fact]
    public void The_first_bad_parameter_is_named()
    {
        var invalid = Assert.IsType<InvalidQuery>(Parse(("priority", ["high"]), ("bogus", ["1"]), ("since", ["x"])));

        Assert.Equal("bogus", invalid.Parameter);
    }

    [Theory]
    [InlineData(Priority.High, "probing", "10", true)]
    [InlineData(Priority.High, "probing", "9.99", false)]
    [InlineData(Priority.High, "probing", "20", false)]
    [InlineData(Priority.High, "probing", "19.99", true)]
    [InlineData(Priority.Low, "probing", "15", false)]
    [InlineData(Priority.Critical, "probing", "15", true)]
    [InlineData(Priority.High, "denial", "15", false)]
    public void A_filter_keeps_its_priorities_and_types_since_included_until_excluded(Priority priority, string type, string time, bool kept)
    {
        var filter = Valid(("priority", ["high,critical"]), ("type", ["probing"]), ("since", ["10"]), ("until", ["20"]));

        Assert.Equal(kept, filter.Matches(priority, type, decimal.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Everything_matches_anything()
    {
        Assert.True(IncidentFilter.Everything.Matches(Priority.Low, "anything", -1m));
        Assert.Equal(";;;", IncidentFilter.Everything.Key);
    }

    private static IncidentFilter Valid(params (string Name, string[] Values)[] query) => Assert.IsType<ValidQuery>(Parse(query)).Filter;

    private static IncidentQueryResult Parse(params (string Name, string[] Values)[] query) =>
        IncidentQuery.Parse(query.Select(q => KeyValuePair.Create<string, IReadOnlyList<string?>>(q.Name, q.Values)), Feeds);
}
