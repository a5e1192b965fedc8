using System.Diagnostics.Metrics;
using System.Net;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Telemetry;
using IncidentService.Simulator.Answering;
using IncidentService.Simulator.Faults;
using IncidentService.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;

namespace IncidentService.Tests.Live;

/// <summary><c>GET /incidents/changes</c> on the whole service, over the in-process simulator with frozen time.</summary>
public sealed class ChangeStreamTests
{
    [Fact]
    public async Task The_current_state_arrives_at_connect_tagged_as_incidents_is()
    {
        await using var factory = new IncidentServiceFactory();
        using var client = await factory.CreateReadyClientAsync();
        var etag = await IdentityETagAsync(client);

        await using var stream = await EventStream.OpenAsync(client);
        var first = await stream.NextSnapshotAsync();

        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(etag, first.Id);
        Assert.Equal(etag, first.Json().GetProperty("etag").GetString());
        Assert.True(first.Json().GetProperty("complete").GetBoolean());
        Assert.Empty(first.Json().GetProperty("missingFeeds").EnumerateArray());
        Assert.Equal(factory.Store.Current!.DataAsOf, first.Json().GetProperty("dataAsOf").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_snapshot_with_other_content_reaches_an_open_stream_naming_the_employees_that_changed()
    {
        await using var factory = new IncidentServiceFactory();
        using var client = await factory.CreateReadyClientAsync();
        var before = factory.Store.Current!;
        await using var stream = await EventStream.OpenAsync(client);
        var first = await stream.NextSnapshotAsync();

        var after = await NewContentAsync(factory);
        var next = await stream.NextSnapshotAsync();

        Assert.NotEqual(first.Id, next.Id);
        Assert.Equal(await IdentityETagAsync(client), next.Id);
        var changed = next.ChangedEmployees;
        Assert.NotEmpty(changed);
        Assert.All(changed, id => Assert.False(
            before.ForEmployee(long.Parse(id))?.ToArray() is { } old && after.ForEmployee(long.Parse(id))?.ToArray() is { } now && old.SequenceEqual(now)));
        Assert.Equal(changed.Length, next.Json().GetProperty("changedEmployeeCount").GetInt32());
    }

    [Fact]
    public async Task Last_Event_ID_of_the_current_snapshot_resumes_without_sending_it_again()
    {
        await using var factory = new IncidentServiceFactory(true, ("Live:HeartbeatInterval", "00:00:15"));
        using var client = await factory.CreateReadyClientAsync();
        var etag = await IdentityETagAsync(client);

        await using var stream = await EventStream.OpenAsync(client, configure: r => r.Headers.Add("Last-Event-ID", etag));
        await NewContentAsync(factory);
        var next = await stream.NextSnapshotAsync();

        Assert.NotEqual(etag, next.Id);
        Assert.Equal(await IdentityETagAsync(client), next.Id);
    }

    [Fact]
    public async Task A_quiet_stream_gets_a_heartbeat_comment_each_interval()
    {
        await using var factory = new IncidentServiceFactory();
        using var client = await factory.CreateReadyClientAsync();
        await using var stream = await EventStream.OpenAsync(client);
        await stream.NextSnapshotAsync();

        var streams = factory.Services.GetRequiredService<IncidentService.Api.Web.Live.LiveStreams>();
        await Wait.UntilAsync(() => streams.Open == 1);
        // The stream waits on the fake clock once it has flushed the first event; moving the clock past the interval
        // (short of a refresh) wakes it. Moved in small steps until the comment comes, as the wait may start late.
        var heartbeat = stream.NextAsync();
        await Wait.UntilAsync(() =>
        {
            factory.Time!.Advance(TimeSpan.FromSeconds(1));
            return heartbeat.IsCompleted;
        });

        Assert.Equal("heartbeat", (await heartbeat)!.Comment);
    }

    [Fact]
    public async Task Streams_beyond_the_per_client_limit_are_refused_until_one_closes()
    {
        await using var factory = new IncidentServiceFactory(true, ("Live:MaxStreams:PerClient", "1"));
        using var client = await factory.CreateReadyClientAsync();
        var streams = factory.Services.GetRequiredService<IncidentService.Api.Web.Live.LiveStreams>();

        var open = await EventStream.OpenAsync(client);
        await open.NextSnapshotAsync();
        await using (var refused = await EventStream.OpenAsync(client))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
            Assert.NotNull(refused.Response.Headers.RetryAfter);
        }

        await open.DisposeAsync();
        await Wait.UntilAsync(() => streams.Open == 0);
        await using var again = await EventStream.OpenAsync(client);
        Assert.Equal(HttpStatusCode.OK, again.Response.StatusCode);
    }

    [Fact]
    public async Task Events_sent_and_streams_open_are_measured()
    {
        await using var factory = new IncidentServiceFactory();
        using var events = new MetricCollector<long>(factory.Services.GetRequiredService<IMeterFactory>(), IncidentMetrics.MeterName, "incidents.live.events");
        using var open = new MetricCollector<int>(factory.Services.GetRequiredService<IMeterFactory>(), IncidentMetrics.MeterName, "incidents.live.streams");
        using var client = await factory.CreateReadyClientAsync();

        await using (var stream = await EventStream.OpenAsync(client))
        {
            await stream.NextSnapshotAsync();
            open.RecordObservableInstruments();
            Assert.Equal(1, open.LastMeasurement?.Value);
        }

        Assert.Equal(1, events.GetMeasurementSnapshot().EvaluateAsCounter());
        await Wait.UntilAsync(() =>
        {
            open.RecordObservableInstruments();
            return open.LastMeasurement?.Value == 0;
        });
    }

    [Fact]
    public async Task A_stream_ends_when_the_service_stops()
    {
        await using var factory = new IncidentServiceFactory();
        using var client = await factory.CreateReadyClientAsync();
        await using var stream = await EventStream.OpenAsync(client);
        await stream.NextSnapshotAsync();

        factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task A_stream_costs_one_request_of_the_rate_limit_however_many_events_it_carries()
    {
        // Two requests, and none back for 1,000 s: the stream and one more GET fit, a third request does not.
        await using var factory = new IncidentServiceFactory(
            true,
            [.. Access.ApiKeys.Settings("dashboard", Access.ApiKeys.Dashboard, "incidents:read"), ("RateLimit:Burst", "2"), ("RateLimit:PermitsPerSecond", "0.001")]);
        using var client = factory.CreateClient();
        await factory.WaitForSnapshotAsync();
        await using var stream = await EventStream.OpenAsync(client, configure: r => r.Headers.Add("X-Api-Key", Access.ApiKeys.Dashboard));
        await stream.NextSnapshotAsync();
        await NewContentAsync(factory);
        await stream.NextSnapshotAsync();

        using var second = await client.SendAsync(Access.ApiKeys.Get("/status", apiKey: Access.ApiKeys.Dashboard));
        using var third = await client.SendAsync(Access.ApiKeys.Get("/status", apiKey: Access.ApiKeys.Dashboard));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    /// <summary>The identity ETag of GET /incidents (no Accept-Encoding: identity is served).</summary>
    internal static async Task<string> IdentityETagAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/incidents");
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag!.ToString();
    }

    /// <summary>Half the identities go away and a refresh runs: many employees' answers change.</summary>
    private static async Task<IncidentService.Core.Snapshots.IncidentSnapshot> NewContentAsync(IncidentServiceFactory factory)
    {
        var before = factory.Store.Current!;
        var board = factory.Services.GetRequiredService<FeedBoard>();
        var cycle = board.LastCycle!.Number;
        factory.Upstream.Simulator.Faults.Set(SimulatorTargets.Identities, new SimulatorFault(SimulatorFaultKind.IdentitiesShrunk, 0.5));
        factory.Time!.Advance(TimeSpan.FromSeconds(31));
        await Wait.UntilAsync(() => board.LastCycle!.Number > cycle);
        var after = factory.Store.Current!;
        Assert.NotEqual(before.ETag, after.ETag);
        return after;
    }
}
