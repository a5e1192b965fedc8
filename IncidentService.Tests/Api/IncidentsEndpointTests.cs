using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Telemetry;
using IncidentService.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentService.Tests.Api;

public sealed class IncidentsEndpointTests : IAsyncLifetime
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
    public async Task Incidents_equal_an_independent_aggregation_of_the_upstream_byte_for_byte()
    {
        var upstream = _factory.Upstream.Simulator;
        var expected = await IndependentAggregation.FromUpstreamAsync(upstream.BaseAddress, "elevate", _factory.SimulatorPassword);

        using var response = await _client.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length > 100_000, "the simulator should produce a realistic volume");
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task Every_answer_of_the_incident_routes_is_counted_once_by_its_final_status()
    {
        using var responses = new MetricCollector<long>(_factory.Services.GetRequiredService<IMeterFactory>(), IncidentMetrics.MeterName, "incidents.responses");
        using var first = await _client.GetAsync("/incidents");
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, "/incidents") { Headers = { IfNoneMatch = { first.Headers.ETag! } } };

        using var notModified = await _client.SendAsync(revalidation);
        using var unknown = await _client.GetAsync("/incidents/999999999");
        using var badQuery = await _client.GetAsync("/incidents?priority=urgent");
        using var summary = await _client.GetAsync("/incidents/summary");

        var counted = responses.GetMeasurementSnapshot().Select(m => (int)m.Tags["http.response.status_code"]!).Order();
        Assert.Equal([200, 200, 304, 400, 404], counted);
    }

    [Fact]
    public async Task Request_metrics_name_the_routes_as_dashboards_and_alerts_select_them()
    {
        using var durations = new MetricCollector<double>(_factory.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Hosting", "http.server.request.duration");

        foreach (var path in new[] { "/incidents", "/incidents/1", "/incidents/unresolved", "/incidents/summary", "/status" })
        {
            using var response = await _client.GetAsync(path);
        }

        await Wait.UntilAsync(() => durations.GetMeasurementSnapshot().Count >= 5);
        var routes = durations.GetMeasurementSnapshot().Select(m => m.Tags["http.route"] as string).Distinct().Order();
        Assert.Equal(["incidents", "incidents/summary", "incidents/unresolved", "incidents/{employeeId}", "status"], routes);
    }

    [Fact]
    public async Task Unchanged_incidents_answer_304_to_their_etag()
    {
        using var first = await _client.GetAsync("/incidents");
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.NotNull(first.Content.Headers.LastModified);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/incidents");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task One_employee_is_served_in_the_same_shape_as_in_the_whole_view()
    {
        using var all = JsonDocument.Parse(await _client.GetStringAsync("/incidents"));
        var employee = all.RootElement.EnumerateObject().Skip(5).First();

        var one = await _client.GetStringAsync($"/incidents/{employee.Name}");

        Assert.Equal(employee.Value.GetRawText(), one);
    }

    [Fact]
    public async Task An_unknown_employee_is_404_problem()
    {
        using var all = JsonDocument.Parse(await _client.GetStringAsync("/incidents"));
        var unknown = all.RootElement.EnumerateObject().Max(e => long.Parse(e.Name, System.Globalization.CultureInfo.InvariantCulture)) + 1;

        using var response = await _client.GetAsync($"/incidents/{unknown}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public async Task A_non_numeric_employee_id_is_400_problem(string id)
    {
        using var response = await _client.GetAsync($"/incidents/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Unattributable_incidents_are_listed_with_reasons()
    {
        using var unresolved = JsonDocument.Parse(await _client.GetStringAsync("/incidents/unresolved"));

        var items = unresolved.RootElement.GetProperty("incidents").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, unresolved.RootElement.GetProperty("count").GetInt32());
        Assert.All(items, i => Assert.Equal("ip-not-in-identities", i.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Status_lists_every_feed_and_the_snapshot_without_secrets()
    {
        using var response = await _client.GetAsync("/status");
        var body = await response.Content.ReadAsStringAsync();
        using var status = JsonDocument.Parse(body);

        Assert.True(status.RootElement.GetProperty("upstream").GetProperty("simulator").GetBoolean());
        var feeds = status.RootElement.GetProperty("feeds").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["denial", "executable", "identities", "intrusion", "misuse", "other", "probing", "unauthorized"], feeds);
        Assert.True(status.RootElement.GetProperty("snapshot").GetProperty("incidents").GetInt32() > 1000);
        Assert.DoesNotContain(_factory.SimulatorPassword, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_and_readiness_are_up_once_a_snapshot_exists()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Readiness_turns_unready_while_the_snapshot_is_too_old_and_recovers_with_the_upstream()
    {
        // A limit of one interval, so each step below moves the fake clock over exactly one tick of the refresher:
        // over several, it may run one or two cycles, and fake time must not move under a cycle in flight.
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Refresh:MaxSnapshotAgeIntervals", "1"));
        using var client = factory.CreateClient();
        var board = factory.Services.GetRequiredService<FeedBoard>();
        await Wait.UntilAsync(() => board.LastCycle is not null);
        var first = factory.Store.Current;

        factory.Upstream.Simulator.Faults.SetAll(new SimulatorFault(SimulatorFaultKind.Unauthorized));
        factory.Time!.Advance(TimeSpan.FromSeconds(31));
        await Wait.UntilAsync(() => board.LastCycle!.Number == 2);

        Assert.Same(first, factory.Store.Current);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/incidents")).StatusCode);

        factory.Upstream.Simulator.Faults.Clear();
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => board.LastCycle!.Number == 3);

        Assert.NotSame(first, factory.Store.Current);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }
}
