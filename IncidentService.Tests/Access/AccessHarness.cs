using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Diagnostics.Metrics;
using IncidentService.Api.Telemetry;
using IncidentService.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentService.Tests.Access;

/// <summary>API keys and their configured hashes, as scripts/new-api-key.sh would print them.</summary>
internal static class ApiKeys
{
    public const string Dashboard = "dashboard-key-7c1e9f0b2d";
    public const string Scraper = "scraper-key-41aa03e6c8";

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static (string Key, string Value)[] Settings(string name, string key, string scopes) =>
    [
        ($"Auth:ApiKeys:{name}:Sha256", HashOf(key)),
        ($"Auth:ApiKeys:{name}:Scopes", scopes),
    ];

    public static HttpRequestMessage Get(string path, string? apiKey = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }
}

/// <summary>
/// One service with both methods on: the test issuer's JWTs and the dashboard API key. Real clock, because the
/// JWT lifetimes are checked against it; the rate limit is out of the way (it has its own tests).
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public TestIssuer Issuer { get; private set; } = null!;

    public IncidentServiceFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>
    /// This host's refusals. Read from its own meter factory, not from a /metrics scrape: every host in the test
    /// process registers the same instrument name, and a scrape may count another host's instrument instead.
    /// </summary>
    public MetricCollector<long> AuthFailures { get; private set; } = null!;

    /// <summary>Two employees that have incidents: the self-scoped token's own, and someone else.</summary>
    public (string Own, string Other) Employees { get; private set; }

    public async Task InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Factory = new IncidentServiceFactory(
            frozenTime: false,
            [.. Issuer.Settings, .. ApiKeys.Settings("dashboard", ApiKeys.Dashboard, "incidents:read"), ("RateLimit:Burst", "100000")]);
        Client = Factory.CreateClient();
        AuthFailures = new MetricCollector<long>(Factory.Services.GetRequiredService<IMeterFactory>(), IncidentMetrics.MeterName, "incidents.auth.failures");
        await Factory.WaitForSnapshotAsync();
        using var response = await Client.SendAsync(ApiKeys.Get("/incidents", apiKey: ApiKeys.Dashboard));
        response.EnsureSuccessStatusCode();
        using var all = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = all.RootElement.EnumerateObject().Select(p => p.Name).Take(2).ToArray();
        Employees = (ids[0], ids[1]);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        AuthFailures.Dispose();
        await Factory.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
