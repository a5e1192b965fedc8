using IncidentService.Api.Hosting;
using Microsoft.Extensions.Configuration;

namespace IncidentService.Tests.Api;

public sealed class UnknownKeysTests
{
    [Theory]
    [InlineData("Refresh:Intervall", "Refresh:Interval")]
    [InlineData("Upstream:BaseUri", "Upstream:BaseUrl")]
    [InlineData("Swagger:Enable", "Swagger:Enabled")]
    [InlineData("Auth:Jwt:Audiance", "Auth:Jwt:Audience")]
    [InlineData("Auth:ApiKeys:ops:Sha265", "Auth:ApiKeys:ops:Sha256")]
    [InlineData("Cors:AllowedOrigin", "Cors:AllowedOrigins")]
    [InlineData("Simulator:Seeds", "Simulator:Seed")]
    public void A_misspelt_key_is_named_with_the_nearest_known_key(string key, string nearest)
    {
        var found = UnknownKeys.Find(Configuration((key, "x")));

        Assert.Equal((key, nearest), Assert.Single(found));
    }

    [Theory]
    [InlineData("refresh:interval")]
    [InlineData("Upstream:IdentityFields:probing")]
    [InlineData("Auth:ApiKeys:ops:Scopes")]
    [InlineData("Cors:AllowedOrigins:0")]
    [InlineData("Simulator:Faults:identities")]
    [InlineData("Logging:LogLevel:Defualt")]
    [InlineData("Kestrel:Limits:MaxConcurrentConnections")]
    public void Known_keys_names_inside_dictionaries_and_other_sections_are_not_reported(string key)
    {
        Assert.Empty(UnknownKeys.Find(Configuration((key, "x"))));
    }

    [Fact]
    public void The_sections_are_those_of_the_options_classes()
    {
        var sections = UnknownKeys.Sections().Select(s => s.Key).Order(StringComparer.Ordinal);

        Assert.Superset(
            new HashSet<string>(["Auth", "Cluster", "Cors", "RateLimit", "Redis", "Refresh", "Serving", "Simulator", "Snapshot", "Swagger", "Upstream"]),
            new HashSet<string>(sections));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
