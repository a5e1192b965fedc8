using IncidentService.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentService.Tests.Upstream;

/// <summary>The real client registration, with the network replaced by a <see cref="StubUpstreamHandler"/>.</summary>
internal static class UpstreamHarness
{
    public static ServiceProvider Build(StubUpstreamHandler stub, int maxConcurrency = 3, TimeProvider? time = null, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Upstream:RetryDelay"] = "00:00:00.001",
                ["Upstream:BreakDuration"] = "00:00:01",
            })
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddUpstreamClient(configuration);
        services.AddSingleton(new UpstreamGate(maxConcurrency));
        services.AddSingleton(new UpstreamConnection(new Uri("http://upstream.test/api"), "elevate", "s3cret-pw", IsSimulator: false));
        services.AddHttpClient<UpstreamClient>().ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider(validateScopes: true);
    }

    public static HttpResponseMessage Json(string json, System.Net.HttpStatusCode status = System.Net.HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
}
