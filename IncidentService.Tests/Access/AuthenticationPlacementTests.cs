using System.Net;
using IncidentService.Tests.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentService.Tests.Access;

/// <summary>
/// Authentication runs where the pipeline places it, and only for a request that carries a credential: one without
/// would come out anonymous anyway, and WebApplication must not add an authentication of its own for every request.
/// </summary>
public sealed class AuthenticationPlacementTests
{
    [Fact]
    public async Task Only_a_request_that_carries_a_credential_is_authenticated_and_only_once()
    {
        var count = new AuthenticationCount();
        await using var factory = new IncidentServiceFactory(frozenTime: true, [.. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read")]);
        await using var counted = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton(count);
            services.AddScoped<IAuthenticationService, CountingAuthenticationService>();
        }));
        using var client = counted.CreateClient();

        using (var probe = await client.SendAsync(ApiKeys.Get("/healthz")))
        using (var anonymous = await client.SendAsync(ApiKeys.Get("/status")))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Equal(0, count.Value);

        using var keyed = await client.SendAsync(ApiKeys.Get("/status", apiKey: ApiKeys.Dashboard));
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal(2, count.Value); // once: the selector, and the API key scheme it forwards to
    }

    private sealed class AuthenticationCount
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Add() => Interlocked.Increment(ref _value);
    }

    private sealed class CountingAuthenticationService(
        IAuthenticationSchemeProvider schemes,
        IAuthenticationHandlerProvider handlers,
        IClaimsTransformation transform,
        IOptions<AuthenticationOptions> options,
        AuthenticationCount count)
        : AuthenticationService(schemes, handlers, transform, options)
    {
        public override Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            count.Add();
            return base.AuthenticateAsync(context, scheme);
        }
    }
}
