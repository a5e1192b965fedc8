using System.Net;
using System.Text;
using IncidentService.Core;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentService.Tests.Upstream;

public sealed class UpstreamClientTests
{
    private static readonly FeedDefinition Probing = new("probing", "ip");

    [Fact]
    public async Task Calls_the_slashed_urls_with_basic_auth()
    {
        var stub = StubUpstreamHandler.Answering(request => request.RequestUri!.AbsolutePath.EndsWith("/identities/", StringComparison.Ordinal)
            ? UpstreamHarness.Json("""{"10.0.0.1": 7}""")
            : UpstreamHarness.Json("""{"results":[]}"""));
        using var provider = UpstreamHarness.Build(stub);
        var client = provider.GetRequiredService<UpstreamClient>();

        foreach (var feed in FeedDefinition.Defaults)
        {
            await client.GetFeedAsync(feed, CancellationToken.None);
        }

        var identities = await client.GetIdentitiesAsync(CancellationToken.None);

        Assert.Equal(1, identities.Count);
        Assert.Equal(
            [.. FeedDefinition.Defaults.Select(f => $"http://upstream.test/api/incidents/{f.Name}/"), "http://upstream.test/api/identities/"],
            stub.Requests.Select(r => r.RequestUri!.AbsoluteUri));
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elevate:s3cret-pw"));
        Assert.All(stub.Requests, r => Assert.Equal(expected, r.Headers.Authorization!.ToString()));
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_is_not_followed()
    {
        var stub = StubUpstreamHandler.Answering(_ => new HttpResponseMessage(HttpStatusCode.MovedPermanently)
        {
            Headers = { Location = new Uri("http://elsewhere.test/incidents/probing/") },
        });
        using var provider = UpstreamHarness.Build(stub);

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.HttpStatus, failure.Failure);
        Assert.Contains("301", failure.Message, StringComparison.Ordinal);
        Assert.All(stub.Requests, r => Assert.Equal("upstream.test", r.RequestUri!.Host));
    }

    [Fact]
    public async Task A_malformed_body_is_a_bad_body_failure()
    {
        var stub = StubUpstreamHandler.Answering(_ => UpstreamHarness.Json("<html>oops</html>"));
        using var provider = UpstreamHarness.Build(stub);

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.BadBody, failure.Failure);
    }

    [Fact]
    public async Task Unauthorized_is_reported_plainly_and_not_retried()
    {
        var stub = StubUpstreamHandler.Answering(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized));
        using var provider = UpstreamHarness.Build(stub);

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.Unauthorized, failure.Failure);
        Assert.StartsWith("unauthorized", failure.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task Server_errors_are_retried_then_reported()
    {
        var stub = StubUpstreamHandler.Answering(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "2"));

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.HttpStatus, failure.Failure);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task A_transient_failure_followed_by_success_succeeds()
    {
        var calls = 0;
        var stub = StubUpstreamHandler.Answering(_ => Interlocked.Increment(ref calls) == 1
            ? new HttpResponseMessage(HttpStatusCode.BadGateway)
            : UpstreamHarness.Json("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}]}"""));
        using var provider = UpstreamHarness.Build(stub);

        var batch = await provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None);

        Assert.Single(batch.Incidents);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_a_failure()
    {
        var stub = StubUpstreamHandler.Answering(_ => UpstreamHarness.Json($$"""{"results":[],"pad":"{{new string('x', 4096)}}"}"""));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxResponseBytes", "1024"));

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.TooLarge, failure.Failure);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task Requests_in_flight_never_exceed_the_gate_even_with_retries()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        var stub = new StubUpstreamHandler(async (_, ct) =>
        {
            // The first attempt fails, so its retry competes for a slot too (one failure keeps the breaker closed).
            if (Interlocked.Increment(ref attempts) == 1)
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            }

            await release.Task.WaitAsync(ct);
            return UpstreamHarness.Json("""{"results":[]}""");
        });
        using var provider = UpstreamHarness.Build(stub, maxConcurrency: 2);
        var client = provider.GetRequiredService<UpstreamClient>();

        var calls = Enumerable.Range(0, 8).Select(_ => client.GetFeedAsync(Probing, CancellationToken.None)).ToArray();
        await Wait.UntilAsync(() => stub.InFlight == 2);
        release.SetResult();
        await Task.WhenAll(calls);

        Assert.Equal(2, stub.Peak);
    }

    [Fact]
    public async Task An_open_circuit_says_which_failure_opened_it_and_spares_the_upstream()
    {
        var stub = StubUpstreamHandler.Answering(_ => new HttpResponseMessage(HttpStatusCode.BadGateway));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "2"));
        var client = provider.GetRequiredService<UpstreamClient>();
        await Assert.ThrowsAsync<UpstreamCallException>(() => client.GetFeedAsync(Probing, CancellationToken.None));
        var sent = stub.Requests.Count;

        var refused = await Assert.ThrowsAsync<UpstreamCallException>(() => client.GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.CircuitOpen, refused.Failure);
        Assert.Equal("circuit open after repeated failures (last: HTTP 502); waiting before the next probe", refused.Message);
        Assert.Equal(sent, stub.Requests.Count);
    }
}
