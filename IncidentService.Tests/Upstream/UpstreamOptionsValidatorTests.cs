using IncidentService.Upstream;
using Microsoft.Extensions.Configuration;

namespace IncidentService.Tests.Upstream;

/// <summary>Each invalid setting stops startup with one message naming its key; values at the edges of the range pass.</summary>
public sealed class UpstreamOptionsValidatorTests
{
    private static readonly (string, string)[] Connected =
        [("BaseUrl", "https://incident-api.example/"), ("Username", "elevate"), ("Password", "s3cret-pw")];

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(Validate().Succeeded);
    }

    [Theory]
    [InlineData("BaseUrl", "http://incident-api.example/")]
    [InlineData("BaseUrl", "https://incident-api.example/v2")]
    [InlineData("AttemptTimeout", "00:00:00.001")]
    [InlineData("RetryDelay", "00:00:00.001")]
    [InlineData("MaxRetryAfter", "00:00:00.001")]
    [InlineData("BreakDuration", "00:00:00.001")]
    [InlineData("TotalTimeout", "00:00:10.001")]
    [InlineData("BreakerSamplingDuration", "00:00:20")]
    [InlineData("MaxRetries", "0")]
    [InlineData("MaxRetries", "10")]
    [InlineData("AbandonedAttemptHold", "00:00:00")]
    [InlineData("AbandonedAttemptHold", "01:00:00")]
    [InlineData("MaxResponseBytes", "1")]
    [InlineData("IdentityFields:probing", "source_ip")]
    public void A_value_at_the_edge_of_its_range_is_accepted(string key, string value)
    {
        var result = Validate([.. Connected, (key, value)]);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("BaseUrl", "ftp://incident-api.example/", "Upstream:BaseUrl: must be an absolute http or https URL")]
    [InlineData("BaseUrl", "https://user:pw@incident-api.example/", "Upstream:BaseUrl: must not carry credentials (user:password@); set Upstream:Username and Upstream:Password instead")]
    [InlineData("BaseUrl", "incident-api/", "Upstream:BaseUrl: must be an absolute http or https URL")]
    [InlineData("Username", "", "Upstream:Username: is required when Upstream:BaseUrl is set")]
    [InlineData("Password", "", "Upstream:Password: is required when Upstream:BaseUrl is set")]
    [InlineData("AttemptTimeout", "00:00:00", "Upstream:AttemptTimeout: must be a positive duration, such as 00:00:05")]
    [InlineData("RetryDelay", "00:00:00", "Upstream:RetryDelay: must be a positive duration, such as 00:00:05")]
    [InlineData("MaxRetryAfter", "00:00:00", "Upstream:MaxRetryAfter: must be a positive duration, such as 00:00:05")]
    [InlineData("BreakDuration", "-00:00:01", "Upstream:BreakDuration: must be a positive duration, such as 00:00:05")]
    [InlineData("TotalTimeout", "00:00:10", "Upstream:TotalTimeout: (00:00:10) must be longer than Upstream:AttemptTimeout (00:00:10)")]
    [InlineData("BreakerSamplingDuration", "00:00:19.999", "Upstream:BreakerSamplingDuration: (00:00:19.9990000) must be at least twice Upstream:AttemptTimeout")]
    [InlineData("MaxRetries", "-1", "Upstream:MaxRetries: must be between 0 and 10")]
    [InlineData("MaxRetries", "11", "Upstream:MaxRetries: must be between 0 and 10")]
    [InlineData("AbandonedAttemptHold", "-00:00:00.001", "Upstream:AbandonedAttemptHold: must be between 00:00:00 and 01:00:00")]
    [InlineData("AbandonedAttemptHold", "01:00:00.001", "Upstream:AbandonedAttemptHold: must be between 00:00:00 and 01:00:00")]
    [InlineData("MaxResponseBytes", "0", "Upstream:MaxResponseBytes: must be positive")]
    [InlineData("IdentityFields:probing", " ", "Upstream:IdentityFields:probing: must name a field")]
    public void An_invalid_value_fails_with_one_message_naming_its_key(string key, string value, string message)
    {
        var result = Validate([.. Connected, (key, value)]);

        Assert.True(result.Failed);
        Assert.Equal([message], result.Failures);
    }

    [Fact]
    public void Without_a_base_url_no_credentials_are_needed()
    {
        Assert.True(Validate(("Username", ""), ("Password", "")).Succeeded);
    }

    [Fact]
    public void Every_fault_is_named_at_once()
    {
        var result = Validate(("BaseUrl", "https://incident-api.example/"), ("MaxRetries", "11"));

        Assert.Equal(
            ["Upstream:Username: is required when Upstream:BaseUrl is set", "Upstream:Password: is required when Upstream:BaseUrl is set", "Upstream:MaxRetries: must be between 0 and 10"],
            result.Failures);
    }

    [Fact]
    public void Outside_development_an_unset_base_url_is_refused_naming_the_environment()
    {
        var result = Validate(new UpstreamHosting("Production", FallbackAllowed: false, CallInterval: null));

        Assert.Equal(["Upstream:BaseUrl: is required in the 'Production' environment (only Development falls back to the embedded simulator)"], result.Failures);
    }

    [Fact]
    public void Outside_development_a_set_base_url_with_credentials_is_accepted()
    {
        Assert.True(Validate(new UpstreamHosting("Production", FallbackAllowed: false, CallInterval: null), Connected).Succeeded);
    }

    [Theory]
    [InlineData("AttemptTimeout")]
    [InlineData("RetryDelay")]
    [InlineData("MaxRetryAfter")]
    [InlineData("BreakDuration")]
    public void A_duration_of_a_day_is_accepted_and_one_beyond_is_refused(string key)
    {
        // A day is also the type check's bound; the sampling window and the total follow the attempt timeout.
        (string, string)[] room = [("TotalTimeout", "2.00:00:00"), ("BreakerSamplingDuration", "3.00:00:00")];

        Assert.True(Validate([.. Connected, .. room, (key, "1.00:00:00")]).Succeeded);
        Assert.Equal([$"Upstream:{key}: must be a positive duration, such as 00:00:05"], Validate([.. Connected, .. room, (key, "1.00:00:00.001")]).Failures);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(params (string Key, string Value)[] settings) =>
        Validate(UpstreamHosting.SuppliedConnection, settings);

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(UpstreamHosting hosting, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            values[$"{UpstreamOptions.SectionName}:{key}"] = value; // the later setting wins, as in layered configuration
        }

        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(values)
            .Build()
            .GetSection(UpstreamOptions.SectionName)
            .Get<UpstreamOptions>() ?? new UpstreamOptions();
        return new UpstreamOptionsValidator(hosting).Validate(null, options);
    }
}
