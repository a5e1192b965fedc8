using System.Net;
using IncidentService.Core;
using IncidentService.Core.Ledger;
using IncidentService.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace IncidentService.Tests.Upstream;

/// <summary>What <see cref="UpstreamServiceCollectionExtensions.AddUpstreamClient"/> sets up, seen from the outside.</summary>
public sealed class UpstreamRegistrationTests
{
    private static readonly FeedDefinition Probing = new("probing", "ip");

    [Fact]
    public void The_real_connection_follows_no_redirect_and_bounds_connecting()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddUpstreamClient(new ConfigurationBuilder().Build());
        services.AddSingleton(new UpstreamGate(3));
        services.AddSingleton(new UpstreamConnection(new Uri("http://upstream.test/api"), "elevate", "s3cret-pw", IsSimulator: false));
        using var provider = services.BuildServiceProvider();

        using var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(UpstreamClient));

        var primary = Assert.IsType<SocketsHttpHandler>(Innermost(handler));
        Assert.False(primary.AllowAutoRedirect); // a followed redirect may drop the Authorization header
        Assert.Equal(DecompressionMethods.All, primary.AutomaticDecompression);
        Assert.Equal(TimeSpan.FromSeconds(5), primary.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), primary.PooledConnectionLifetime);
    }

    [Fact]
    public void Invalid_settings_are_refused_when_the_options_are_first_read_naming_the_key()
    {
        using var provider = UpstreamHarness.Build(StubUpstreamHandler.Answering(_ => UpstreamHarness.Json("{}")), settings: ("Upstream:MaxRetries", "11"));

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<UpstreamOptions>>().Value);

        Assert.Equal(["Upstream:MaxRetries: must be between 0 and 10"], refused.Failures);
    }

    [Fact]
    public async Task The_upstream_is_asked_for_json()
    {
        var stub = StubUpstreamHandler.Answering(_ => UpstreamHarness.Json("""{"results":[]}"""));
        using var provider = UpstreamHarness.Build(stub);

        await provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None);

        Assert.Equal("application/json", Assert.Single(Assert.Single(stub.Requests).Headers.Accept).MediaType);
    }

    [Fact]
    public async Task With_no_retries_configured_a_server_error_is_tried_once()
    {
        var stub = StubUpstreamHandler.Answering(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "0"));

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => provider.GetRequiredService<UpstreamClient>().GetFeedAsync(Probing, CancellationToken.None));

        Assert.Equal(FetchFailureKind.HttpStatus, failure.Failure);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task A_failing_feed_opens_its_own_circuit_only()
    {
        var stub = StubUpstreamHandler.Answering(request => request.RequestUri!.AbsolutePath.Contains("/probing/", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.BadGateway)
            : UpstreamHarness.Json("""{"results":[]}"""));
        using var provider = UpstreamHarness.Build(stub, settings: ("Upstream:MaxRetries", "2"));
        var client = provider.GetRequiredService<UpstreamClient>();
        await Assert.ThrowsAsync<UpstreamCallException>(() => client.GetFeedAsync(Probing, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<UpstreamCallException>(() => client.GetFeedAsync(Probing, CancellationToken.None));
        Assert.Equal(FetchFailureKind.CircuitOpen, refused.Failure);

        var denial = await client.GetFeedAsync(new FeedDefinition("denial", "reported_by"), CancellationToken.None);

        Assert.Empty(denial.Incidents);
    }

    [Fact]
    public void Configured_identity_fields_replace_the_defaults_of_their_feed_only()
    {
        using var provider = UpstreamHarness.Build(StubUpstreamHandler.Answering(_ => UpstreamHarness.Json("{}")), settings: ("Upstream:IdentityFields:probing", "source_ip"));

        var feeds = provider.GetRequiredService<IReadOnlyList<FeedDefinition>>();

        Assert.Equal(FeedDefinition.Defaults.Select(f => f.Name), feeds.Select(f => f.Name));
        Assert.Equal("source_ip", feeds.Single(f => f.Name == "probing").IdentityField);
        Assert.Equal("reported_by", feeds.Single(f => f.Name == "denial").IdentityField);
    }

    [Fact]
    public void The_resilience_pipelines_log_per_attempt_detail_at_debug_only()
    {
        using var provider = UpstreamHarness.Build(StubUpstreamHandler.Answering(_ => UpstreamHarness.Json("{}")));
        var telemetry = provider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var context = ResilienceContextPool.Shared.Get();

        var severity = telemetry.SeverityProvider!(new SeverityProviderArguments(new ResilienceTelemetrySource("p", "i", "s"), new ResilienceEvent(ResilienceEventSeverity.Warning, "ExecutionAttempt"), context));

        Assert.Equal(ResilienceEventSeverity.Debug, severity);
        ResilienceContextPool.Shared.Return(context);
    }

    private static HttpMessageHandler Innermost(HttpMessageHandler handler) =>
        handler is DelegatingHandler { InnerHandler: { } inner } ? Innermost(inner) : handler;
}
