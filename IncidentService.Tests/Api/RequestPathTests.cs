using System.Diagnostics.Metrics;
using System.Net;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Web.Access;
using IncidentService.Tests.Access;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentService.Tests.Api;

/// <summary>What the request path is made of (docs/perf.md): where a request runs, what is built once, how clients are told apart.</summary>
public sealed class RequestPathTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task Kestrel_runs_requests_inline_only_when_inline_io_is_turned_on(string? configured, bool inline)
    {
        await using var factory = configured is null ? new IncidentServiceFactory() : new IncidentServiceFactory(frozenTime: true, ("Serving:InlineIo", configured));
        _ = factory.Server;

        Assert.Equal(inline, factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    [Fact]
    public async Task The_authorization_services_are_built_once_and_still_refuse_a_missing_credential()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Auth:ApiKeys:dash:Sha256", new string('a', 64)), ("Auth:ApiKeys:dash:Scopes", "incidents:read"));
        using var client = await factory.CreateReadyClientAsync();

        using (var first = factory.Services.CreateScope())
        using (var second = factory.Services.CreateScope())
        {
            Assert.Same(first.ServiceProvider.GetRequiredService<IPolicyEvaluator>(), second.ServiceProvider.GetRequiredService<IPolicyEvaluator>());
            Assert.Same(first.ServiceProvider.GetRequiredService<IAuthorizationService>(), second.ServiceProvider.GetRequiredService<IAuthorizationService>());
        }

        using var anonymous = await client.GetAsync(new Uri("/incidents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("/incidents")]
    [InlineData("/incidents/unresolved")]
    [InlineData("/incidents/summary")]
    [InlineData("/incidents/emp-0001")]
    [InlineData("/status")]
    public async Task Open_reads_are_not_put_through_a_policy_and_keyed_reads_still_are(string path)
    {
        await using var open = new IncidentServiceFactory(frozenTime: true, ("Auth:AllowAnonymous", "true"));
        await using var keyed = new IncidentServiceFactory(frozenTime: true, ("Auth:ApiKeys:dash:Sha256", ApiKeys.HashOf(ApiKeys.Dashboard)), ("Auth:ApiKeys:dash:Scopes", "incidents:read"));

        var openChecks = await ChecksForAsync(open, ApiKeys.Get(path));
        var keyedChecks = await ChecksForAsync(keyed, ApiKeys.Get(path, apiKey: ApiKeys.Dashboard));

        Assert.Equal(0, openChecks);
        Assert.True(keyedChecks > 0, "the keyed service evaluated no policy: the counter would not see one either");

        static async Task<int> ChecksForAsync(IncidentServiceFactory service, HttpRequestMessage request)
        {
            var checks = new CountPolicyChecks();
            await using var counted = service.WithWebHostBuilder(web => web.ConfigureServices(services =>
                services.AddSingleton<IAuthorizationHandler>(checks)));
            using var client = counted.CreateClient();
            await Wait.UntilAsync(() => counted.Services.GetRequiredService<SnapshotStore>().Current is not null);
            using (request)
            using (var response = await client.SendAsync(request))
            {
                Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
            }

            return checks.Count;
        }
    }

    [Fact]
    public async Task Kestrels_memory_pool_is_not_measured_per_block_rented()
    {
        await using var factory = new IncidentServiceFactory();
        using var client = await factory.CreateReadyClientAsync();
        // The test server has no Kestrel pool: record as the pool would, under its meter and instrument names.
        using var pool = factory.Services.GetRequiredService<IMeterFactory>().Create("Microsoft.AspNetCore.MemoryPool");
        pool.CreateCounter<long>("aspnetcore.memory_pool.rented", "By").Add(4096);
        pool.CreateUpDownCounter<long>("aspnetcore.memory_pool.pooled", "By").Add(4096);
        using var answer = await client.GetAsync(new Uri("/incidents", UriKind.Relative));

        var metrics = (await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');

        Assert.DoesNotContain(metrics, line => line.StartsWith("aspnetcore_memory_pool_", StringComparison.Ordinal));
        Assert.Contains(metrics, line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Per_request_instruments_that_repeat_the_request_metrics_are_not_exported()
    {
        await using var factory = new IncidentServiceFactory();
        using var client = await factory.CreateReadyClientAsync();
        using var answer = await client.GetAsync(new Uri("/incidents", UriKind.Relative));

        var metrics = (await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');

        // The lease a request holds is the request (http.server.active_requests, http.server.request.duration), and
        // every match is a request with its route.
        Assert.DoesNotContain(metrics, line => line.StartsWith("aspnetcore_rate_limiting_active_request_leases", StringComparison.Ordinal));
        Assert.DoesNotContain(metrics, line => line.StartsWith("aspnetcore_rate_limiting_request_lease_duration", StringComparison.Ordinal));
        Assert.DoesNotContain(metrics, line => line.StartsWith("aspnetcore_routing_match_attempts", StringComparison.Ordinal));
        // What only the limiter knows stays: how many requests it let through or refused.
        Assert.Contains(metrics, line => line.StartsWith("aspnetcore_rate_limiting_requests_total{", StringComparison.Ordinal));
        Assert.Contains(metrics, line => line.StartsWith("http_server_active_requests{", StringComparison.Ordinal));
    }

    [Fact]
    public void Anonymous_clients_are_told_apart_by_address_value_and_principals_by_scheme_and_name()
    {
        Assert.Equal(RateLimitClient.Of(Anonymous("10.0.0.7")), RateLimitClient.Of(Anonymous("10.0.0.7")));
        Assert.NotEqual(RateLimitClient.Of(Anonymous("10.0.0.7")), RateLimitClient.Of(Anonymous("10.0.0.8")));
        Assert.Null(RateLimitClient.Of(new DefaultHttpContext()));

        var dashboard = Authenticated("ApiKey", "dashboard", "10.0.0.7");
        Assert.Equal(new RateLimitClient("ApiKey", System.Security.Claims.ClaimTypes.Name, "dashboard", null), RateLimitClient.Of(dashboard));
        Assert.NotEqual(RateLimitClient.Of(dashboard), RateLimitClient.Of(Authenticated("Bearer", "dashboard", "10.0.0.7")));
        Assert.NotEqual(RateLimitClient.Unlimited, RateLimitClient.Of(dashboard));
    }

    /// <summary>The framework runs every registered handler once per policy evaluation.</summary>
    private sealed class CountPolicyChecks : IAuthorizationHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task HandleAsync(AuthorizationHandlerContext context)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }

    private static DefaultHttpContext Anonymous(string address) =>
        new() { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };

    private static DefaultHttpContext Authenticated(string scheme, string name, string address)
    {
        var context = Anonymous(address);
        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, name)], scheme));
        return context;
    }
}
