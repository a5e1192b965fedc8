using System.Net;
using System.Text.Json;

namespace IncidentService.Tests.Access;

/// <summary>Through the real JwtBearer handler (metadata and JWKS from <see cref="TestIssuer"/>) and the API key handler.</summary>
public sealed class AccessControlTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private readonly HttpClient _client = fixture.Client;
    private readonly TestIssuer _issuer = fixture.Issuer;

    public static TheoryData<string> ReadAllPaths => ["/incidents", "/incidents/unresolved", "/status"];

    [Theory]
    [MemberData(nameof(ReadAllPaths))]
    public async Task A_valid_token_with_incidents_read_reads_everything(string path)
    {
        using var response = await SendAsync(path, bearer: _issuer.MintWithScope("openid incidents:read"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Incidents_read_reads_any_one_employee()
    {
        using var response = await SendAsync($"/incidents/{fixture.Employees.Other}", bearer: _issuer.MintWithScope("incidents:read"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("scope", false)]
    [InlineData("scp", false)]
    [InlineData("scp", true)]
    [InlineData("roles", true)]
    [InlineData("role", false)]
    public async Task The_scope_may_come_as_scope_scp_or_role_string_or_array(string claim, bool asArray)
    {
        object value = asArray ? new[] { "profile", "incidents:read" } : "profile incidents:read";
        var token = _issuer.Mint(new Dictionary<string, object> { [claim] = value });

        using var response = await SendAsync("/incidents", bearer: token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string> RefusedTokens(TestIssuer issuer)
    {
        var now = DateTime.UtcNow;
        var scope = new Dictionary<string, object> { ["scope"] = "incidents:read" };
        return new()
        {
            { "expired", issuer.Mint(scope, notBefore: now.AddHours(-2), expires: now.AddHours(-1)) },
            { "not_yet_valid", issuer.Mint(scope, notBefore: now.AddHours(1), expires: now.AddHours(2)) },
            { "audience", issuer.Mint(scope, audience: "some-other-service") },
            { "issuer", issuer.Mint(scope, issuer: "https://evil.example") },
            { "signature", issuer.Mint(scope, foreignKey: true) },
            { "signature", issuer.MintUnsigned("incidents:read") },
            { "malformed", "not.a.jwt" },
        };
    }

    [Fact]
    public async Task Expired_not_yet_valid_wrong_audience_wrong_issuer_foreign_key_alg_none_and_garbage_are_401_without_saying_why()
    {
        foreach (var (reason, token) in RefusedTokens(_issuer).Select(row => ((string)row[0], (string)row[1])))
        {
            using var response = await SendAsync("/incidents", bearer: token);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{reason}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var challenges = response.Headers.WwwAuthenticate.Select(c => c.ToString()).ToList();
            Assert.Contains("Bearer", challenges);
            Assert.Contains(challenges, c => c.StartsWith("ApiKey", StringComparison.Ordinal));
            Assert.DoesNotContain(challenges, c => c.Contains("error", StringComparison.OrdinalIgnoreCase));
            var body = await response.Content.ReadAsStringAsync();
            foreach (var telltale in new[] { "expired", "lifetime", "audience", "issuer", "signature", "IDX", "kid", token })
            {
                Assert.DoesNotContain(telltale, body, StringComparison.OrdinalIgnoreCase);
            }

            Assert.True(Counted("bearer", reason), $"{reason} counted as a bearer failure");
        }
    }

    [Fact]
    public async Task A_refused_credential_is_counted_once_per_request()
    {
        var before = fixture.AuthFailures.GetMeasurementSnapshot().Count;

        using var key = await SendAsync("/incidents", apiKey: "not-a-configured-key");
        using var token = await SendAsync("/incidents", bearer: "not.a.jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, key.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Equal(before + 2, fixture.AuthFailures.GetMeasurementSnapshot().Count);
    }

    [Theory]
    [MemberData(nameof(ReadAllPaths))]
    public async Task A_valid_token_without_the_scope_is_403(string path)
    {
        using var response = await SendAsync(path, bearer: _issuer.MintWithScope("openid profile"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_self_scope_reads_its_own_employee_only()
    {
        var token = _issuer.MintWithScope("incidents:read:self", ("employee_id", long.Parse(fixture.Employees.Own, System.Globalization.CultureInfo.InvariantCulture)));

        using var own = await SendAsync($"/incidents/{fixture.Employees.Own}", bearer: token);
        using var other = await SendAsync($"/incidents/{fixture.Employees.Other}", bearer: token);
        using var all = await SendAsync("/incidents", bearer: token);
        using var unresolved = await SendAsync("/incidents/unresolved", bearer: token);
        using var status = await SendAsync("/status", bearer: token);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, all.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unresolved.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
    }

    [Fact]
    public async Task The_self_scope_without_an_employee_id_reads_nobody()
    {
        using var response = await SendAsync($"/incidents/{fixture.Employees.Own}", bearer: _issuer.MintWithScope("incidents:read:self"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ReadAllPaths))]
    public async Task The_right_api_key_reads_everything(string path)
    {
        using var response = await SendAsync(path, apiKey: ApiKeys.Dashboard);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_api_key_may_come_in_the_authorization_header_for_clients_that_set_only_that()
    {
        using var request = ApiKeys.Get("/incidents");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", ApiKeys.Dashboard);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_api_key_is_401_and_counted()
    {
        using var response = await SendAsync("/incidents", apiKey: ApiKeys.Dashboard + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(Counted("api_key", "unknown_key"));
    }

    [Theory]
    [MemberData(nameof(ReadAllPaths))]
    [InlineData("/incidents/4506")]
    public async Task No_credentials_is_401_with_a_challenge_per_scheme(string path)
    {
        using var response = await SendAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["ApiKey header=\"X-Api-Key\"", "Bearer"], response.Headers.WwwAuthenticate.Select(c => c.ToString()).Order(StringComparer.Ordinal));
        Assert.True(Counted("none", "missing"));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Probes_metrics_and_the_api_document_stay_anonymous(string path)
    {
        using var response = await SendAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Personal_answers_are_private_vary_by_credentials_and_still_revalidate_to_304()
    {
        using var first = await SendAsync($"/incidents/{fixture.Employees.Own}", apiKey: ApiKeys.Dashboard);
        using var request = ApiKeys.Get($"/incidents/{fixture.Employees.Own}", apiKey: ApiKeys.Dashboard);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, $"Cache-Control: {first.Headers.CacheControl}");
        Assert.Contains("Authorization", first.Headers.Vary);
        Assert.Contains("X-Api-Key", first.Headers.Vary);
        Assert.Equal("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task Refusals_carry_nosniff_too()
    {
        using var response = await SendAsync("/incidents");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_api_document_declares_both_schemes_and_each_protected_operation_requires_one()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var root = document.RootElement;

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("http", schemes.GetProperty("Bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("apiKey", schemes.GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        foreach (var path in new[] { "/incidents", "/incidents/{employeeId}", "/incidents/unresolved", "/status" })
        {
            var operation = root.GetProperty("paths").GetProperty(path).GetProperty("get");
            var required = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
            Assert.Equal(["ApiKey", "Bearer"], required);
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{path} documents 401");
        }
    }

    private bool Counted(string scheme, string reason) =>
        fixture.AuthFailures.GetMeasurementSnapshot().Any(m =>
            m.Tags.TryGetValue("scheme", out var s) && Equals(s, scheme) && m.Tags.TryGetValue("reason", out var r) && Equals(r, reason));

    private async Task<HttpResponseMessage> SendAsync(string path, string? apiKey = null, string? bearer = null)
    {
        using var request = ApiKeys.Get(path, apiKey, bearer);
        return await _client.SendAsync(request);
    }
}
