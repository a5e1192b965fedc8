using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IncidentService.Simulator.Faults;
using Microsoft.Extensions.Options;

namespace IncidentService.Tests.Api;

public sealed class StartupTests
{
    [Fact]
    public async Task Before_the_first_snapshot_requests_get_503_with_retry_after_not_an_empty_200()
    {
        await using var factory = new IncidentServiceFactory(
            frozenTime: false,
            ("Simulator:Faults:identities", nameof(SimulatorFaultKind.Hang)),
            ("Refresh:FirstSnapshotWait", "00:00:00.05"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Outside_development_an_unset_upstream_stops_startup_naming_the_key()
    {
        await using var factory = new IncidentServiceFactory { Environment = "Production" };

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Upstream:BaseUrl", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_Redis_without_a_signing_key_stops_startup_naming_the_key()
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, ("Redis:Configuration", "127.0.0.1:1")) { Environment = "Production" };

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Snapshot:SigningKey: required with Redis:Configuration outside Development", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Snapshot:SigningKey", "c2hvcnQ=", "Snapshot:SigningKey: must be base64 of at least 32 bytes")]
    [InlineData("Cluster:LeaseDuration", "00:00:04", "Cluster:LeaseDuration: (00:00:04) must be at least 00:00:05")]
    [InlineData("Refresh:MaxConcurrency", "0", "Refresh:MaxConcurrency")]
    [InlineData("Refresh:Interval", "00:00:05", "Refresh:Interval: (00:00:05) is shorter than 00:00:10")]
    [InlineData("Upstream:BaseUrl", "http://upstream.test/", "Upstream:Username")]
    [InlineData("Upstream:AttemptTimeout", "00:00:30", "Upstream:TotalTimeout")]
    [InlineData("Refresh:IdentityChurnThreshold", "0", "Refresh:IdentityChurnThreshold: must be above 0 and at most 1")]
    [InlineData("Refresh:IdentityChurnThreshold", "1.5", "Refresh:IdentityChurnThreshold: must be above 0 and at most 1")]
    [InlineData("Management:Urls", "http://127.0.0.1", "Management:Urls: 'http://127.0.0.1' is not an http or https address with an explicit port")]
    [InlineData("Management:Urls", "http://127.0.0.1:9001/ops", "Management:Urls: 'http://127.0.0.1:9001/ops' is not")]
    [InlineData("Management:Urls", "http://127.0.0.1:9001;ftp://127.0.0.1:9002", "Management:Urls: 'ftp://127.0.0.1:9002' is not")]
    [InlineData("Management:Urls", "http://0.0.0.0:9000", "Management:Urls: port 9000 is also in Urls")]
    public async Task Invalid_configuration_stops_startup_naming_the_key(string key, string value, string named)
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, (key, value));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Refresh:Interval", "abc", "Refresh:Interval: 'abc' is not a duration")]
    [InlineData("Refresh:MaxConcurrency", "three", "Refresh:MaxConcurrency: 'three' is not a whole number")]
    [InlineData("Upstream:AttemptTimeout", "soon", "Upstream:AttemptTimeout: 'soon' is not a duration")]
    [InlineData("Simulator:LatencyScale", "fast", "Simulator:LatencyScale: 'fast' is not a number")]
    [InlineData("Auth:AllowAnonymous", "yes", "Auth:AllowAnonymous: 'yes' is not true or false")]
    [InlineData("Auth:Jwt:RequireHttpsMetadata", "maybe", "Auth:Jwt:RequireHttpsMetadata: 'maybe' is not true or false")]
    [InlineData("Serving:InlineIo", "sometimes", "Serving:InlineIo: 'sometimes' is not true or false")]
    [InlineData("Swagger:Enabled", "yes", "Swagger:Enabled: 'yes' is not true or false")]
    [InlineData("Refresh:Interval", "30", "Refresh:Interval: '30' is not a duration (use hh:mm:ss, e.g. 00:00:30)")]
    [InlineData("Refresh:Interval", "30.00:00:00", "Refresh:Interval: '30.00:00:00' is outside 00:00:00 to 1.00:00:00 (use hh:mm:ss, e.g. 00:00:30)")]
    [InlineData("Upstream:AttemptTimeout", "10", "Upstream:AttemptTimeout: '10' is not a duration (use hh:mm:ss, e.g. 00:00:30)")]
    [InlineData("Cluster:LeaseDuration", "-00:00:15", "Cluster:LeaseDuration: '-00:00:15' is outside 00:00:00 to 1.00:00:00")]
    [InlineData("Simulator:Window", "7", "Simulator:Window: '7' is not a duration")]
    public async Task An_unparsable_value_is_a_validation_failure_naming_the_key_not_a_binder_crash(string key, string value, string message)
    {
        await using var factory = new IncidentServiceFactory(frozenTime: true, (key, value));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var invalid = failure is AggregateException many ? many.Flatten().InnerExceptions : [failure];
        var failures = invalid.Select(Assert.IsType<OptionsValidationException>).SelectMany(i => i.Failures).Distinct();
        Assert.StartsWith(message, Assert.Single(failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_in_the_upstream_url_stop_startup_without_being_echoed()
    {
        await using var factory = new IncidentServiceFactory(
            frozenTime: true,
            ("Upstream:BaseUrl", "http://user:hunter2-secret@upstream.test/"),
            ("Upstream:Username", "user"),
            ("Upstream:Password", "pw"));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Upstream:BaseUrl: must not carry credentials", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_shows_the_upstream_as_scheme_host_and_port_only()
    {
        await using var factory = new IncidentServiceFactory(
            frozenTime: true,
            ("Upstream:BaseUrl", "http://upstream.invalid:8081/api/v1/?token=abc"),
            ("Upstream:Username", "user"),
            ("Upstream:Password", "pw"));
        using var client = factory.CreateClient();

        using var status = JsonDocument.Parse(await client.GetStringAsync("/status"));

        Assert.Equal("http://upstream.invalid:8081", status.RootElement.GetProperty("upstream").GetProperty("address").GetString());
    }

    [Fact]
    public async Task The_real_process_ends_with_exit_code_1_and_one_line_naming_each_bad_key()
    {
        // The service's own entry point, as published: under WebApplicationFactory the entry point never gets this far.
        var api = Path.Combine(AppContext.BaseDirectory, "IncidentService.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { api, "--Refresh:Interval", "abc", "--Upstream:MaxRetries", "0", "--Upstream:AttemptTimeout", "00:00:30", "--urls", "http://127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_ENVIRONMENT"] = "Development", ["ASPNETCORE_ENVIRONMENT"] = "Development" },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var output = (await stdout + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(output);
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains("Refresh:Interval: 'abc' is not a duration", line, StringComparison.Ordinal);
        Assert.Contains("Upstream:TotalTimeout: (00:00:25) must be longer than Upstream:AttemptTimeout (00:00:30)", line, StringComparison.Ordinal);
    }
}
