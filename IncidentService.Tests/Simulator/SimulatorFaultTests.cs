using System.Net;
using System.Text.Json;
using IncidentService.Simulator.Faults;

namespace IncidentService.Tests.Simulator;

public sealed class SimulatorFaultTests
{
    [Theory]
    [InlineData(SimulatorFaultKind.ServerError, HttpStatusCode.InternalServerError)]
    [InlineData(SimulatorFaultKind.BadGateway, HttpStatusCode.BadGateway)]
    [InlineData(SimulatorFaultKind.Unavailable, HttpStatusCode.ServiceUnavailable)]
    public async Task Error_status_faults_answer_that_status_without_retry_after(SimulatorFaultKind kind, HttpStatusCode status)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("denial", new SimulatorFault(kind));

        using var faulted = await harness.Client.GetAsync("incidents/denial/");
        using var other = await harness.Client.GetAsync("incidents/misuse/");

        Assert.Equal(status, faulted.StatusCode);
        Assert.Null(faulted.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData(SimulatorFaultKind.UnavailableRetryAfter, HttpStatusCode.ServiceUnavailable)]
    [InlineData(SimulatorFaultKind.TooManyRequests, HttpStatusCode.TooManyRequests)]
    public async Task Retry_after_faults_send_the_configured_retry_after(SimulatorFaultKind kind, HttpStatusCode status)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("identities", new SimulatorFault(kind, RetryAfter: TimeSpan.FromSeconds(7)));
        harness.Simulator.Faults.Set("probing", new SimulatorFault(kind));

        using var configured = await harness.Client.GetAsync("identities/");
        using var defaulted = await harness.Client.GetAsync("incidents/probing/");

        Assert.Equal(status, configured.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), configured.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(1), defaulted.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Unauthorized_fault_rejects_good_credentials()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("other", new SimulatorFault(SimulatorFaultKind.Unauthorized));

        using var response = await harness.Client.GetAsync("incidents/other/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Html_fault_answers_200_with_an_html_page()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("executable", new SimulatorFault(SimulatorFaultKind.Html));

        using var response = await harness.Client.GetAsync("incidents/executable/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", body, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Theory]
    [InlineData("incidents/unauthorized/", "unauthorized")]
    [InlineData("identities/", "identities")]
    public async Task Truncated_json_is_a_complete_200_whose_body_is_a_prefix_of_the_real_one(string path, string target)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var good = await harness.GetStringAsync(path);
        harness.Simulator.Faults.Set(target, new SimulatorFault(SimulatorFaultKind.TruncatedJson));

        var truncated = await harness.GetStringAsync(path);

        Assert.True(truncated.Length < good.Length);
        Assert.StartsWith(truncated, good, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(truncated));
    }

    [Fact]
    public async Task Results_missing_is_valid_json_without_results()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("intrusion", new SimulatorFault(SimulatorFaultKind.ResultsMissing));

        var root = await harness.GetJsonAsync("incidents/intrusion/");

        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.False(root.TryGetProperty("results", out _));
    }

    [Fact]
    public async Task Results_not_array_makes_results_an_object_and_identities_an_array()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.SetAll(new SimulatorFault(SimulatorFaultKind.ResultsNotArray));

        var feed = await harness.GetJsonAsync("incidents/intrusion/");
        var identities = await harness.GetJsonAsync("identities/");

        Assert.Equal(JsonValueKind.Object, feed.GetProperty("results").ValueKind);
        Assert.Equal(JsonValueKind.Array, identities.ValueKind);
    }

    [Theory]
    [InlineData(SimulatorFaultKind.WrongShapeItems)]
    [InlineData(SimulatorFaultKind.UnknownPriority)]
    [InlineData(SimulatorFaultKind.TimestampAsString)]
    public async Task Item_faults_break_a_deterministic_minority_and_leave_the_rest_identical(SimulatorFaultKind kind)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var good = await harness.GetResultsAsync("denial");
        harness.Simulator.Faults.Set("denial", new SimulatorFault(kind));

        var faulted = await harness.GetResultsAsync("denial");
        var again = await harness.GetStringAsync("incidents/denial/");

        Assert.Equal(good.Length, faulted.Length);
        var broken = Enumerable.Range(0, good.Length).Where(i => good[i].GetRawText() != faulted[i].GetRawText()).ToList();
        Assert.InRange(broken.Count, good.Length / 20, good.Length / 5);
        Assert.All(broken, i => Assert.True(IsBroken(kind, faulted[i]), faulted[i].GetRawText()));
        Assert.Equal(again, await harness.GetStringAsync("incidents/denial/"));
    }

    [Fact]
    public async Task Wrong_shape_items_include_non_objects_and_objects_missing_fields()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("other", new SimulatorFault(SimulatorFaultKind.WrongShapeItems));

        var items = await harness.GetResultsAsync("other");

        Assert.Contains(items, i => i.ValueKind != JsonValueKind.Object);
        Assert.Contains(items, i => i.ValueKind == JsonValueKind.Object && !i.TryGetProperty("priority", out _));
        Assert.Contains(items, i => i.ValueKind == JsonValueKind.Object && !i.TryGetProperty("timestamp", out _));
        Assert.Contains(items, i => i.ValueKind == JsonValueKind.Object && !i.TryGetProperty("identifier", out _));
    }

    [Fact]
    public async Task Wrong_shape_identities_break_some_entries_and_keep_the_rest()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var good = (await harness.GetJsonAsync("identities/")).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        harness.Simulator.Faults.Set("identities", new SimulatorFault(SimulatorFaultKind.WrongShapeItems));

        var faulted = (await harness.GetJsonAsync("identities/")).EnumerateObject().ToList();
        var intact = faulted.Count(p => good.TryGetValue(p.Name, out var value) && value == p.Value.GetRawText());

        Assert.Equal(good.Count, faulted.Count);
        Assert.InRange(good.Count - intact, good.Count / 20, good.Count / 5);
        Assert.Contains(faulted, p => p.Value.ValueKind != JsonValueKind.Number);
    }

    [Fact]
    public async Task Huge_body_is_tens_of_megabytes_of_valid_json_with_the_real_results()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var good = await harness.GetResultsAsync("misuse");
        harness.Simulator.Faults.Set("misuse", new SimulatorFault(SimulatorFaultKind.HugeBody));

        var body = await harness.Client.GetByteArrayAsync("incidents/misuse/");
        using var document = JsonDocument.Parse(body);

        Assert.Equal(FaultResponder.HugeBodyBytes, body.Length);
        Assert.Equal(good.Select(i => i.GetRawText()), document.RootElement.GetProperty("results").EnumerateArray().Select(i => i.GetRawText()));
    }

    [Fact]
    public async Task Identities_empty_answers_an_empty_object()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("identities", new SimulatorFault(SimulatorFaultKind.IdentitiesEmpty));

        Assert.Equal("{}", await harness.GetStringAsync("identities/"));
    }

    [Fact]
    public async Task Identities_shrunk_keeps_only_the_given_share_of_the_real_pairs()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var good = (await harness.GetJsonAsync("identities/")).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        harness.Simulator.Faults.Set("identities", SimulatorFault.Parse("IdentitiesShrunk:0.1"));

        var shrunk = (await harness.GetJsonAsync("identities/")).EnumerateObject().ToList();

        Assert.Equal(500, shrunk.Count);
        Assert.All(shrunk, p => Assert.Equal(good[p.Name], p.Value.GetInt32()));
    }

    [Fact]
    public async Task Connection_reset_aborts_without_an_answer()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("probing", new SimulatorFault(SimulatorFaultKind.ConnectionReset));

        await Assert.ThrowsAsync<HttpRequestException>(() => harness.Client.GetAsync("incidents/probing/"));
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 0);
    }

    [Fact]
    public async Task Hang_never_answers_until_the_client_gives_up()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("denial", new SimulatorFault(SimulatorFaultKind.Hang));
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Client.GetAsync("incidents/denial/", patience.Token));
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 0);
    }

    [Fact]
    public async Task Hang_ignoring_abort_stays_in_flight_after_the_client_gives_up_until_its_time_is_over()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("denial", SimulatorFault.Parse("HangIgnoringAbort:60"));
        harness.Simulator.Faults.Set("probing", new SimulatorFault(SimulatorFaultKind.Hang)); // a witness that aborts are seen
        using var patience = new CancellationTokenSource();
        var ignoring = harness.Client.GetAsync("incidents/denial/", patience.Token);
        var witness = harness.Client.GetAsync("incidents/probing/", patience.Token);
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 2);

        await patience.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ignoring);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => witness);
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 1); // the plain Hang noticed its client leave

        harness.Time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));
        Assert.Equal(1, harness.Simulator.InFlight);
        harness.Time.Advance(TimeSpan.FromTicks(1));
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 0);
    }

    [Fact]
    public async Task Hang_ignoring_abort_answers_normally_when_its_time_is_over()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        harness.Simulator.Faults.Set("misuse", SimulatorFault.Parse("HangIgnoringAbort"));

        var late = harness.Client.GetByteArrayAsync("incidents/misuse/");
        await SimulatorHarness.WaitUntilAsync(() => harness.Simulator.InFlight == 1);
        harness.Time.Advance(SimulatorFault.DefaultHang - TimeSpan.FromTicks(1));
        Assert.False(late.IsCompleted);
        harness.Time.Advance(TimeSpan.FromTicks(1));
        var answer = await late;
        harness.Simulator.Faults.Clear();

        Assert.Equal(await harness.Client.GetByteArrayAsync("incidents/misuse/"), answer); // the normal answer at that time
    }

    [Fact]
    public async Task Stall_mid_body_sends_headers_and_part_of_the_body_then_nothing()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var good = await harness.Client.GetByteArrayAsync("incidents/executable/");
        harness.Simulator.Faults.Set("executable", new SimulatorFault(SimulatorFaultKind.StallMidBody));

        using var response = await harness.Client.GetAsync("incidents/executable/", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[good.Length];
        var received = await body.ReadAsync(buffer);
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(good.Length, response.Content.Headers.ContentLength);
        Assert.InRange(received, 1, good.Length / 2);
        Assert.Equal(good.AsSpan(0, received).ToArray(), buffer.AsSpan(0, received).ToArray());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await body.ReadAsync(buffer, patience.Token) > 0)
            {
                // Drain whatever was flushed; the rest never comes.
            }
        });
    }

    private static bool IsBroken(SimulatorFaultKind kind, JsonElement item) => kind switch
    {
        SimulatorFaultKind.UnknownPriority => item.GetProperty("priority").GetString()!.ToLowerInvariant() is not ("low" or "medium" or "high" or "critical"),
        SimulatorFaultKind.TimestampAsString => item.GetProperty("timestamp").ValueKind == JsonValueKind.String,
        _ => item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("priority", out _)
            || !item.TryGetProperty("timestamp", out _)
            || !item.TryGetProperty("reported_by", out var id)
            || id.ValueKind != JsonValueKind.Number,
    };
}
