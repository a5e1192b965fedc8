using System.Net;
using IncidentService.Api.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
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

    [Fact]
    public void Anonymous_clients_are_told_apart_by_address_value_and_principals_by_scheme_and_name()
    {
        Assert.Equal(RateLimitClient.Of(Anonymous("10.0.0.7")), RateLimitClient.Of(Anonymous("10.0.0.7")));
        Assert.NotEqual(RateLimitClient.Of(Anonymous("10.0.0.7")), RateLimitClient.Of(Anonymous("10.0.0.8")));
        Assert.Null(RateLimitClient.Of(new DefaultHttpContext()));

        var dashboard = Authenticated("ApiKey", "dashboard", "10.0.0.7");
        Assert.Equal(new RateLimitClient("ApiKey", "dashboard", null), RateLimitClient.Of(dashboard));
        Assert.NotEqual(RateLimitClient.Of(dashboard), RateLimitClient.Of(Authenticated("Bearer", "dashboard", "10.0.0.7")));
        Assert.NotEqual(RateLimitClient.Unlimited, RateLimitClient.Of(dashboard));
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
