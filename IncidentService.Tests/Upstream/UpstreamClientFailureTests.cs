using System.Net.Sockets;
using IncidentService.Core;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace IncidentService.Tests.Upstream;

/// <summary>How each way of failing comes out of the client: kind and a message an operator can act on.</summary>
public sealed class UpstreamClientFailureTests
{
    private static readonly FeedDefinition Probing = new("probing", "ip");

    [Fact]
    public async Task A_refused_connection_is_a_network_failure_naming_the_socket_error()
    {
        var stub = StubUpstreamHandler.Answering(_ =>
            throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "0"));

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.Network, failure.Failure);
        Assert.Equal("network error: ConnectionRefused", failure.Message);
    }

    [Fact]
    public async Task A_network_failure_without_a_socket_error_names_the_request_error()
    {
        var stub = StubUpstreamHandler.Answering(_ => throw new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "0"));

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetIdentitiesAsync(CancellationToken.None));

        Assert.Equal(FetchFailureKind.Network, failure.Failure);
        Assert.Equal("network error: NameResolutionError", failure.Message);
    }

    [Fact]
    public async Task A_connection_broken_while_the_body_is_read_is_a_network_failure_and_is_retried()
    {
        var calls = 0;
        var stub = StubUpstreamHandler.Answering(_ => Interlocked.Increment(ref calls) == 1
            ? new HttpResponseMessage { Content = new ChunkedBody("""{"results":[]}"""u8.ToArray(), breakMidway: true) }
            : UpstreamHarness.Json("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}]}"""));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "1"));

        var batch = await provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None);

        Assert.Single(batch.Incidents);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_connection_broken_on_every_attempt_is_reported_as_a_network_failure()
    {
        var stub = StubUpstreamHandler.Answering(_ => new HttpResponseMessage { Content = new ChunkedBody("""{"results":[]}"""u8.ToArray(), breakMidway: true) });
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "0"));

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.Network, failure.Failure);
        Assert.Equal("network error: ResponseEnded", failure.Message);
    }

    [Fact]
    public async Task An_attempt_past_its_timeout_is_a_timeout_failure_saying_how_long()
    {
        var time = new FakeTimeProvider();
        var stub = new StubUpstreamHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var provider = UpstreamHarness.Build(stub, time: time, settings: [("Upstream:MaxRetries", "0"), ("Upstream:AttemptTimeout", "00:00:02.5"), ("Upstream:TotalTimeout", "00:00:05")]);

        var call = provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None);
        await Wait.UntilAsync(() => stub.InFlight == 1);
        time.Advance(TimeSpan.FromSeconds(2.5));

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => call.WaitAsync(TimeSpan.FromSeconds(30))); // the deadline only bounds a broken test
        Assert.Equal(FetchFailureKind.Timeout, failure.Failure);
        Assert.Equal("timed out after 2.5 s", failure.Message);
    }

    [Fact]
    public async Task An_open_circuit_whose_opening_was_not_seen_says_so_without_a_cause()
    {
        using var http = new HttpClient(StubUpstreamHandler.Answering(_ => throw new BrokenCircuitException())) { BaseAddress = new Uri("http://upstream.test/api/") };
        var client = new UpstreamClient(http, new CircuitOpenReasons());

        var refused = await Assert.ThrowsAsync<UpstreamCallException>(() => client.GetIdentitiesAsync(CancellationToken.None));

        Assert.Equal(FetchFailureKind.CircuitOpen, refused.Failure);
        Assert.Equal("circuit open after repeated failures; waiting before the next probe", refused.Message);
    }
}
