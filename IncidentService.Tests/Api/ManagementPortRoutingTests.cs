using System.Net;
using Microsoft.AspNetCore.Http;

namespace IncidentService.Tests.Api;

/// <summary>
/// <c>Management:Urls</c> in process: which port a request came in on is the connection's local port, set here on the
/// test server's request. The probes and the metrics answer there and only there, the API everywhere else, and the
/// management port is never rate limited.
/// </summary>
public sealed class ManagementPortRoutingTests
{
    private const int ApiPort = 9000;
    private const int ManagementPort = 9001;

    [Fact]
    public async Task Probes_and_metrics_answer_on_the_management_port_and_only_there()
    {
        await using var factory = Factory();
        await factory.WaitForSnapshotAsync();

        foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
        {
            Assert.Equal(StatusCodes.Status200OK, await StatusAsync(factory, path, ManagementPort));
            Assert.Equal(StatusCodes.Status404NotFound, await StatusAsync(factory, path, ApiPort));
        }

        foreach (var path in new[] { "/status", "/incidents", "/swagger/v1/swagger.json" })
        {
            Assert.Equal(StatusCodes.Status404NotFound, await StatusAsync(factory, path, ManagementPort));
            Assert.Equal(StatusCodes.Status200OK, await StatusAsync(factory, path, ApiPort));
        }
    }

    [Fact]
    public async Task A_client_out_of_tokens_on_the_api_port_still_reaches_the_management_port()
    {
        await using var factory = Factory(("RateLimit:PermitsPerSecond", "0.001"), ("RateLimit:Burst", "2"));
        await factory.WaitForSnapshotAsync();

        var api = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            api.Add(await StatusAsync(factory, "/status", ApiPort));
        }

        var management = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            management.Add(await StatusAsync(factory, "/metrics", ManagementPort));
        }

        Assert.Equal([200, 200, 429], api);
        // A scrape can time out on a starved machine (408); the limiter never refuses one here.
        Assert.DoesNotContain(StatusCodes.Status429TooManyRequests, management);
        Assert.Contains(StatusCodes.Status200OK, management);
    }

    [Fact]
    public async Task Without_a_management_port_the_probes_and_metrics_answer_beside_the_api()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("urls", $"http://127.0.0.1:{ApiPort}"));
        await factory.WaitForSnapshotAsync();

        foreach (var path in new[] { "/healthz", "/readyz", "/metrics", "/status" })
        {
            Assert.Equal(StatusCodes.Status200OK, await StatusAsync(factory, path, ApiPort));
        }
    }

    private static IncidentServiceFactory Factory(params (string Key, string Value)[] settings) =>
        new(frozenTime: true, [("urls", $"http://127.0.0.1:{ApiPort}"), ("Management:Urls", $"http://127.0.0.1:{ManagementPort}"), .. settings]);

    private static async Task<int> StatusAsync(IncidentServiceFactory factory, string path, int localPort)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            c.Connection.LocalPort = localPort;
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
        });
        return context.Response.StatusCode;
    }
}
