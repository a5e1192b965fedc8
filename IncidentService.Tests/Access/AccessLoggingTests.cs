using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IncidentService.Tests.Access;

public sealed class AccessLoggingTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task Refused_credentials_are_logged_with_scheme_and_reason_but_never_the_credential()
    {
        await using var logged = fixture.Factory.WithWebHostBuilder(builder =>
            builder.ConfigureLogging(logging => logging.AddFakeLogging().AddFilter<FakeLoggerProvider>(null, LogLevel.Trace)));
        using var client = logged.CreateClient();
        var now = DateTime.UtcNow;
        var expired = fixture.Issuer.Mint(new Dictionary<string, object> { ["scope"] = "incidents:read" }, notBefore: now.AddHours(-2), expires: now.AddHours(-1));
        var wrongKey = ApiKeys.Dashboard + "-guessed";

        using var byToken = await client.SendAsync(ApiKeys.Get("/incidents", bearer: expired));
        using var byKey = await client.SendAsync(ApiKeys.Get("/incidents", apiKey: wrongKey));

        Assert.Equal(HttpStatusCode.Unauthorized, byToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byKey.StatusCode);
        var lines = logged.Services.GetFakeLogCollector().GetSnapshot()
            .Select(l => $"{l.Id.Id} {l.Category} {l.Message} {l.Exception} {string.Join(",", l.StructuredState ?? [])} {string.Join(",", l.Scopes)}")
            .ToList();
        Assert.Contains(lines, l => l.StartsWith("201", StringComparison.Ordinal) && l.Contains("bearer", StringComparison.Ordinal) && l.Contains("expired", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("201", StringComparison.Ordinal) && l.Contains("api_key", StringComparison.Ordinal) && l.Contains("unknown_key", StringComparison.Ordinal));
        var signature = expired[(expired.LastIndexOf('.') + 1)..];
        Assert.DoesNotContain(lines, l => l.Contains(signature, StringComparison.Ordinal) || l.Contains(wrongKey, StringComparison.Ordinal));
    }
}
