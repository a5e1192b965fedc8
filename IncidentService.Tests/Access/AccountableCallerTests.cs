using System.Net;
using IncidentService.Tests.Api;

namespace IncidentService.Tests.Access;

/// <summary>
/// The rate limit counts each caller on its own: a token's <c>sub</c>, else the client it was issued to
/// (<c>client_id</c>, <c>azp</c>). A token that names no one cannot be held to a limit and is refused.
/// </summary>
public sealed class AccountableCallerTests : IAsyncLifetime
{
    private TestIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await TestIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task Clients_without_a_subject_are_limited_each_by_its_own_client_id()
    {
        await using var factory = Limited();
        using var client = factory.CreateClient();
        var first = _issuer.MintWithClaims(("scope", "incidents:read"), ("client_id", "ingest-a"));
        var second = _issuer.MintWithClaims(("scope", "incidents:read"), ("client_id", "ingest-b"));
        var authorized = _issuer.MintWithClaims(("scope", "incidents:read"), ("azp", "ingest-c"));

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.SendAsync(ApiKeys.Get("/status", bearer: first));
            flood.Add(response.StatusCode);
        }

        using var other = await client.SendAsync(ApiKeys.Get("/status", bearer: second));
        using var third = await client.SendAsync(ApiKeys.Get("/status", bearer: authorized));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], flood);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task A_client_id_is_not_taken_for_the_subject_of_the_same_name()
    {
        await using var factory = Limited();
        using var client = factory.CreateClient();
        var user = _issuer.MintWithClaims(("scope", "incidents:read"), ("sub", "ingest-a"));
        var service = _issuer.MintWithClaims(("scope", "incidents:read"), ("client_id", "ingest-a"));

        for (var i = 0; i < 3; i++)
        {
            using var flood = await client.SendAsync(ApiKeys.Get("/status", bearer: user));
        }

        using var response = await client.SendAsync(ApiKeys.Get("/status", bearer: service));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_that_names_no_subject_and_no_client_is_refused_as_unaccountable()
    {
        await using var factory = Limited();
        using var client = factory.CreateClient();
        var nobody = _issuer.MintWithClaims(("scope", "incidents:read"));

        using var response = await client.SendAsync(ApiKeys.Get("/status", bearer: nobody));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A bucket of 2 that refills one token per 1000 s: counts, not timing, decide the outcome.</summary>
    private IncidentServiceFactory Limited() =>
        new(frozenTime: false, [.. _issuer.Settings, ("RateLimit:PermitsPerSecond", "0.001"), ("RateLimit:Burst", "2")]);
}
