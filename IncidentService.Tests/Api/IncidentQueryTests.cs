using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentService.Api.Web.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentService.Tests.Api;

/// <summary>Filters on <c>/incidents</c> and the summary, each compared with the independent aggregation of the upstream.</summary>
public sealed class IncidentQueryTests : IAsyncLifetime
{
    private readonly IncidentServiceFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await _factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task The_dashboards_views_are_built_as_a_snapshot_comes_in_not_by_the_first_request_or_scrape()
    {
        await using var fresh = new IncidentServiceFactory();

        await fresh.WaitForSnapshotAsync(); // no request, no scrape

        Assert.True(fresh.Services.GetRequiredService<SnapshotViews>().IsPrepared(fresh.Store.Current!));
    }

    public static TheoryData<string, string[], string[]> PriorityAndTypeFilters => new()
    {
        { "priority=high", ["high"], [] },
        { "priority=high&priority=critical", ["high", "critical"], [] },
        { "priority=CRITICAL,low", ["critical", "low"], [] },
        { "type=denial", [], ["denial"] },
        { "type=probing,other&priority=medium", ["medium"], ["probing", "other"] },
    };

    [Theory]
    [MemberData(nameof(PriorityAndTypeFilters))]
    public async Task A_priority_or_type_filter_serves_the_same_shape_as_an_independent_aggregation_of_those_incidents(string query, string[] priorities, string[] types)
    {
        var expected = await ExpectedAsync((feed, priority, _) =>
            (priorities.Length == 0 || priorities.Contains(priority)) && (types.Length == 0 || types.Contains(feed)));

        using var response = await _client.GetAsync($"/incidents?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, body);
        Assert.NotEqual("{}", body);
    }

    [Fact]
    public async Task Since_includes_an_incident_at_its_time_and_until_excludes_it()
    {
        var times = await TimestampsAsync();
        var since = times[times.Count / 3];
        var until = times[2 * times.Count / 3];

        var window = await _client.GetStringAsync($"/incidents?since={Text(since)}&until={Text(until)}");
        var after = await _client.GetStringAsync($"/incidents?since={Text(since)}");
        var before = await _client.GetStringAsync($"/incidents?until={Text(until)}");

        Assert.Equal(await ExpectedAsync((_, _, t) => t >= since && t < until), window);
        Assert.Equal(await ExpectedAsync((_, _, t) => t >= since), after);
        Assert.Equal(await ExpectedAsync((_, _, t) => t < until), before);
        Assert.Contains($"\"timestamp\":{Text(since)}", window, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"timestamp\":{Text(until)}", window, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unfiltered_incidents_are_the_stored_bytes_and_a_filter_has_a_tag_of_its_own()
    {
        var full = await _client.GetByteArrayAsync("/incidents");
        Assert.Equal(_factory.Store.Current!.Json, full);

        using var high = await _client.GetAsync("/incidents?priority=high");
        using var sameFilter = await _client.GetAsync("/incidents?priority=HIGH");
        using var critical = await _client.GetAsync("/incidents?priority=critical");
        var tag = high.Headers.ETag!;
        Assert.False(tag.IsWeak);
        Assert.Equal(tag, sameFilter.Headers.ETag);
        Assert.NotEqual(tag, critical.Headers.ETag);
        Assert.NotEqual(_factory.Store.Current!.ETag, tag.Tag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/incidents?priority=high");
        request.Headers.IfNoneMatch.Add(tag);
        using var revalidated = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?priority=high,critical")]
    [InlineData("?type=misuse&since=1500000000")]
    public async Task The_summary_counts_what_the_independent_aggregation_counts(string query)
    {
        var filter = Query(query);
        var expected = await IndependentAggregation.SummaryFromUpstreamAsync(_factory.Upstream.Simulator.BaseAddress, "elevate", _factory.SimulatorPassword, filter);

        using var response = await _client.GetAsync($"/incidents/summary{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()[..300]}…, got {actual.ToJsonString()[..300]}…");
        Assert.True(actual["total"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task The_summary_agrees_with_the_served_incidents_and_revalidates()
    {
        using var incidents = JsonDocument.Parse(await _client.GetStringAsync("/incidents"));
        using var first = await _client.GetAsync("/incidents/summary");
        var summary = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;

        var employees = summary["employees"]!.AsObject();
        Assert.Equal(incidents.RootElement.EnumerateObject().Count(), employees.Count);
        foreach (var employee in incidents.RootElement.EnumerateObject())
        {
            foreach (var priority in new[] { "low", "medium", "high", "critical" })
            {
                Assert.Equal(employee.Value.GetProperty(priority).GetProperty("count").GetInt32(), employees[employee.Name]![priority]!.GetValue<int>());
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/incidents/summary");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("/incidents?foo=1", "foo")]
    [InlineData("/incidents?priority=high&limit=5", "limit")]
    [InlineData("/incidents?priority=urgent", "priority")]
    [InlineData("/incidents?priority=", "priority")]
    [InlineData("/incidents?type=phishing", "type")]
    [InlineData("/incidents?since=abc", "since")]
    [InlineData("/incidents?since=-5", "since")]
    [InlineData("/incidents?since=1e9", "since")]
    [InlineData("/incidents?since=1&since=2", "since")]
    [InlineData("/incidents?until=", "until")]
    [InlineData("/incidents?since=1500000000&until=1400000000", "until")]
    [InlineData("/incidents/summary?sinse=1500000000", "sinse")]
    [InlineData("/incidents/summary?priority=none", "priority")]
    public async Task An_unknown_parameter_or_a_bad_value_is_400_problem_naming_it(string url, string parameter)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(parameter, problem.RootElement.GetProperty("parameter").GetString());
        Assert.StartsWith($"{parameter}: ", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private Task<string> ExpectedAsync(Func<string, string, decimal, bool> keep) =>
        IndependentAggregation.FromUpstreamAsync(_factory.Upstream.Simulator.BaseAddress, "elevate", _factory.SimulatorPassword, keep);

    private async Task<List<decimal>> TimestampsAsync()
    {
        using var all = JsonDocument.Parse(await _client.GetStringAsync("/incidents"));
        return [.. all.RootElement.EnumerateObject()
            .SelectMany(e => e.Value.EnumerateObject())
            .SelectMany(p => p.Value.GetProperty("incidents").EnumerateArray())
            .Select(i => i.GetProperty("timestamp").GetDecimal())
            .Order()];
    }

    /// <summary>The filter a test query means, written independently of the service's parser.</summary>
    private static Func<string, string, decimal, bool> Query(string query)
    {
        var parts = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToLookup(p => p[0], p => p[1]);
        var priorities = parts["priority"].SelectMany(v => v.Split(',')).ToList();
        var types = parts["type"].SelectMany(v => v.Split(',')).ToList();
        var since = parts["since"].Select(v => decimal.Parse(v, CultureInfo.InvariantCulture)).Cast<decimal?>().FirstOrDefault();
        return (feed, priority, time) => (priorities.Count == 0 || priorities.Contains(priority)) && (types.Count == 0 || types.Contains(feed)) && (since is null || time >= since);
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
