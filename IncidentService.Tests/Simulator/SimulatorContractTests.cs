using System.Net;
using System.Text.Json;
using IncidentService.Simulator;

namespace IncidentService.Tests.Simulator;

public sealed class SimulatorContractTests
{
    private static readonly string[] Feeds = ["denial", "intrusion", "executable", "misuse", "unauthorized", "probing", "other"];

    public static TheoryData<string> Paths => new() { "incidents/denial/", "incidents/other/", "identities/" };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Requests_without_credentials_get_401_with_basic_challenge(string path)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        using var anonymous = SimulatorHarness.CreateClient(harness.Simulator.BaseAddress, null, null);

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"incidents\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Requests_with_wrong_password_get_401(string path)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        using var wrong = SimulatorHarness.CreateClient(harness.Simulator.BaseAddress, "elevate", "guess");

        using var response = await wrong.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Configured_credentials_are_the_ones_accepted()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => (o.Username, o.Password) = ("alice", "s3cret"));
        using var defaults = SimulatorHarness.CreateClient(harness.Simulator.BaseAddress, "elevate", "simulator");

        using var rejected = await defaults.GetAsync("identities/");
        using var accepted = await harness.Client.GetAsync("identities/");

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData("incidents/denial", "/incidents/denial/")]
    [InlineData("incidents/probing?since=1", "/incidents/probing/?since=1")]
    [InlineData("identities", "/identities/")]
    public async Task Urls_without_trailing_slash_redirect_permanently_to_the_slashed_url(string path, string expectedPathAndQuery)
    {
        await using var harness = await SimulatorHarness.StartAsync();

        using var response = await harness.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(expectedPathAndQuery, new Uri(harness.Simulator.BaseAddress, response.Headers.Location!).PathAndQuery);
    }

    [Fact]
    public async Task Unknown_incident_type_is_404()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        using var response = await harness.Client.GetAsync("incidents/phishing/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("denial", new[] { "priority", "reported_by", "timestamp", "source_ip" })]
    [InlineData("intrusion", new[] { "priority", "internal_ip", "source_ip", "timestamp" })]
    [InlineData("executable", new[] { "priority", "machine_ip", "timestamp" })]
    [InlineData("misuse", new[] { "priority", "employee_id", "timestamp" })]
    [InlineData("unauthorized", new[] { "priority", "employee_id", "timestamp" })]
    [InlineData("probing", new[] { "priority", "ip", "timestamp" })]
    [InlineData("other", new[] { "priority", "identifier", "timestamp" })]
    public async Task Every_item_has_the_feeds_fields_in_the_upstreams_order(string feed, string[] fields)
    {
        await using var harness = await SimulatorHarness.StartAsync();

        var results = await harness.GetResultsAsync(feed);

        Assert.InRange(results.Length, 250, 350);
        Assert.All(results, item => Assert.Equal(fields, item.EnumerateObject().Select(p => p.Name)));
        Assert.All(results, item => Assert.Equal(JsonValueKind.Number, item.GetProperty("timestamp").ValueKind));
        Assert.All(results, item => Assert.Contains(item.GetProperty("priority").GetString()!.ToLowerInvariant(), new[] { "low", "medium", "high", "critical" }));
    }

    [Theory]
    [InlineData("denial", "reported_by")]
    [InlineData("misuse", "employee_id")]
    [InlineData("unauthorized", "employee_id")]
    public async Task Employee_id_fields_are_json_ints(string feed, string field)
    {
        await using var harness = await SimulatorHarness.StartAsync();

        var results = await harness.GetResultsAsync(feed);

        Assert.All(results, item => Assert.True(item.GetProperty(field).TryGetInt32(out _)));
    }

    [Fact]
    public async Task Other_feed_mixes_int_employee_ids_and_ip_strings_in_one_response()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        var kinds = (await harness.GetResultsAsync("other")).GroupBy(i => i.GetProperty("identifier").ValueKind).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal([JsonValueKind.String, JsonValueKind.Number], kinds.Keys.Order());
        Assert.All(kinds.Values, count => Assert.True(count > 50));
    }

    [Fact]
    public async Task Results_are_sorted_by_timestamp_ascending_and_inside_the_window()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var now = (decimal)(SimulatorHarness.Start - DateTimeOffset.UnixEpoch).TotalSeconds;

        foreach (var feed in Feeds)
        {
            var timestamps = (await harness.GetResultsAsync(feed)).Select(i => i.GetProperty("timestamp").GetDecimal()).ToList();

            Assert.Equal(timestamps.Order(), timestamps);
            Assert.All(timestamps, t => Assert.InRange(t, now - (7 * 86400) + 0.0000001m, now));
        }
    }

    [Fact]
    public async Task Timestamps_are_epoch_seconds_with_up_to_7_fractional_digits_in_shortest_form()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        var raw = (await harness.GetResultsAsync("executable")).Select(i => i.GetProperty("timestamp").GetRawText()).ToList();

        Assert.All(raw, t => Assert.Matches(@"^\d{10}\.\d{0,6}[1-9]$", t));
        Assert.Contains(raw, t => t.Split('.')[1].Length == 7);
        Assert.Contains(raw, t => t.Split('.')[1].Length < 7);
    }

    [Fact]
    public async Task A_few_priorities_use_other_letter_case()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        var priorities = (await harness.GetResultsAsync("probing")).Select(i => i.GetProperty("priority").GetString()!).ToList();
        var odd = priorities.Count(p => !string.Equals(p, p.ToLowerInvariant(), StringComparison.Ordinal));

        Assert.InRange(odd, 1, priorities.Count / 10);
    }

    [Fact]
    public async Task Identities_are_a_flat_map_of_internal_ips_to_int_employee_ids()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        var identities = (await harness.GetJsonAsync("identities/")).EnumerateObject().ToList();

        Assert.Equal(5000, identities.Count);
        Assert.Equal(5000, identities.Select(p => p.Name).Distinct().Count());
        Assert.All(identities, p => Assert.Matches(@"^17\.\d{1,3}\.\d{1,3}\.\d{1,3}$", p.Name));
        Assert.All(identities, p => Assert.True(p.Value.TryGetInt32(out _)));
        Assert.Equal(1500, identities.Select(p => p.Value.GetInt32()).Distinct().Count());
    }

    [Fact]
    public async Task A_small_share_of_incident_ips_have_no_identity_and_source_ips_never_do()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var known = (await harness.GetJsonAsync("identities/")).EnumerateObject().Select(p => p.Name).ToHashSet();

        var internalIps = new List<string>();
        foreach (var (feed, field) in new[] { ("intrusion", "internal_ip"), ("executable", "machine_ip"), ("probing", "ip") })
        {
            internalIps.AddRange((await harness.GetResultsAsync(feed)).Select(i => i.GetProperty(field).GetString()!));
        }

        var sourceIps = (await harness.GetResultsAsync("denial")).Concat(await harness.GetResultsAsync("intrusion")).Select(i => i.GetProperty("source_ip").GetString()!);
        var unknown = internalIps.Count(ip => !known.Contains(ip));
        Assert.InRange(unknown, 1, internalIps.Count / 10);
        Assert.All(sourceIps, ip => Assert.DoesNotContain(ip, known));
    }

    [Fact]
    public async Task Some_incidents_share_a_timestamp_within_a_feed_and_across_feeds_for_the_same_employee()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var identities = (await harness.GetJsonAsync("identities/")).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var fieldOf = new Dictionary<string, string> { ["denial"] = "reported_by", ["intrusion"] = "internal_ip", ["executable"] = "machine_ip", ["misuse"] = "employee_id", ["unauthorized"] = "employee_id", ["probing"] = "ip", ["other"] = "identifier" };
        var all = new List<(string Feed, string Timestamp, int? Employee)>();
        foreach (var feed in Feeds)
        {
            foreach (var item in await harness.GetResultsAsync(feed))
            {
                var identity = item.GetProperty(fieldOf[feed]);
                int? employee = identity.ValueKind == JsonValueKind.Number ? identity.GetInt32() : identities.TryGetValue(identity.GetString()!, out var id) ? id : null;
                all.Add((feed, item.GetProperty("timestamp").GetRawText(), employee));
            }
        }

        var ties = all.Where(i => i.Employee is not null).GroupBy(i => (i.Timestamp, i.Employee)).Where(g => g.Count() > 1).ToList();
        Assert.Contains(ties, g => g.Select(i => i.Feed).Distinct().Count() == 1);
        Assert.Contains(ties, g => g.Select(i => i.Feed).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Base_address_is_a_free_loopback_port_with_trailing_slash()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        Assert.True(harness.Simulator.BaseAddress.IsLoopback);
        Assert.EndsWith("/", harness.Simulator.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        Assert.NotEqual(0, harness.Simulator.BaseAddress.Port);
    }

    [Fact]
    public async Task Invalid_options_fail_the_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => UpstreamSimulator.StartAsync(new SimulatorOptions { Identities = 0 }));

        Assert.Contains("Simulator:Identities", error.Message, StringComparison.Ordinal);
    }
}
