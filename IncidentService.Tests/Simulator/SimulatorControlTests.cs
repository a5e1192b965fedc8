using System.Net;
using System.Text;
using System.Text.Json;
using IncidentService.Simulator;
using IncidentService.Simulator.Faults;
using Microsoft.Extensions.Configuration;

namespace IncidentService.Tests.Simulator;

public sealed class SimulatorControlTests
{
    [Fact]
    public async Task Faults_can_be_switched_over_http_without_credentials_and_are_listed()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        using var tool = SimulatorHarness.CreateClient(harness.Simulator.BaseAddress, null, null);

        using var put = await tool.PutAsync("_simulator/faults/probing", Json("{\"fault\": \"ServerError\"}"));
        using var faulted = await harness.Client.GetAsync("incidents/probing/");
        var listed = JsonDocument.Parse(await tool.GetStringAsync("_simulator/faults")).RootElement;
        using var cleared = await tool.DeleteAsync("_simulator/faults");
        using var healed = await harness.Client.GetAsync("incidents/probing/");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, faulted.StatusCode);
        Assert.Equal(SimulatorFaultBoard.Targets, listed.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ServerError", listed.GetProperty("probing").GetString());
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
        Assert.Equal(SimulatorFault.None, harness.Simulator.Faults.Get("probing"));
    }

    [Fact]
    public async Task Http_fault_switch_accepts_parameters_and_all_targets()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        using var tool = SimulatorHarness.CreateClient(harness.Simulator.BaseAddress, null, null);

        using var all = await tool.PutAsync("_simulator/faults/all", Json("{\"fault\": \"TooManyRequests\", \"retryAfterSeconds\": 3}"));
        using var one = await tool.PutAsync("_simulator/faults/identities", Json("{\"fault\": \"Slow:2.5\"}"));

        Assert.All(SimulatorFaultBoard.Targets.SkipLast(1), t => Assert.Equal(new SimulatorFault(SimulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromSeconds(3)), harness.Simulator.Faults.Get(t)));
        Assert.Equal(new SimulatorFault(SimulatorFaultKind.Slow, 2.5), harness.Simulator.Faults.Get("identities"));
    }

    [Theory]
    [InlineData("_simulator/faults/phishing", "{\"fault\": \"Hang\"}", HttpStatusCode.NotFound)]
    [InlineData("_simulator/faults/denial", "{\"fault\": \"Explode\"}", HttpStatusCode.BadRequest)]
    [InlineData("_simulator/faults/denial", "not json", HttpStatusCode.BadRequest)]
    public async Task Http_fault_switch_rejects_unknown_targets_and_faults(string path, string body, HttpStatusCode status)
    {
        await using var harness = await SimulatorHarness.StartAsync();
        using var tool = SimulatorHarness.CreateClient(harness.Simulator.BaseAddress, null, null);

        using var response = await tool.PutAsync(path, Json(body));

        Assert.Equal(status, response.StatusCode);
        Assert.All(SimulatorFaultBoard.Targets, t => Assert.Equal(SimulatorFault.None, harness.Simulator.Faults.Get(t)));
    }

    [Fact]
    public void Fault_board_sets_all_eight_targets_and_clears_them()
    {
        var board = new SimulatorFaultBoard();
        var hang = new SimulatorFault(SimulatorFaultKind.Hang);

        board.SetAll(hang);
        var all = SimulatorFaultBoard.Targets.Select(board.Get).ToList();
        board.Set("DENIAL", SimulatorFault.None);
        var denial = board.Get("denial");
        board.Clear();

        Assert.Equal(8, all.Count);
        Assert.All(all, f => Assert.Equal(hang, f));
        Assert.Equal(SimulatorFault.None, denial);
        Assert.All(SimulatorFaultBoard.Targets, t => Assert.Equal(SimulatorFault.None, board.Get(t)));
        Assert.Throws<ArgumentException>(() => board.Set("phishing", hang));
    }

    [Fact]
    public async Task Configuration_binds_options_and_startup_faults_from_text()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Seed"] = "7",
            ["Simulator:LatencyScale"] = "0",
            ["Simulator:Faults:probing"] = "ServerError",
            ["Simulator:Faults:denial"] = "Slow:3",
            ["Simulator:Faults:identities:Kind"] = "TooManyRequests",
            ["Simulator:Faults:identities:RetryAfter"] = "00:00:09",
        }).Build();
        var options = new SimulatorOptions();
        configuration.GetSection(SimulatorOptions.SectionName).Bind(options);

        await using var simulator = await UpstreamSimulator.StartAsync(options);

        Assert.Equal(7, options.Seed);
        Assert.Equal(new SimulatorFault(SimulatorFaultKind.ServerError), simulator.Faults.Get("probing"));
        Assert.Equal(new SimulatorFault(SimulatorFaultKind.Slow, 3), simulator.Faults.Get("denial"));
        Assert.Equal(new SimulatorFault(SimulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromSeconds(9)), simulator.Faults.Get("identities"));
    }

    [Theory]
    [InlineData("Hang")]
    [InlineData("Slow:3")]
    [InlineData("IdentitiesShrunk:0.25")]
    [InlineData("UnavailableRetryAfter:5")]
    [InlineData("HangIgnoringAbort:150")]
    [InlineData("HangIgnoringAbort")]
    public void Fault_text_round_trips(string text) => Assert.Equal(text, SimulatorFault.Parse(text).ToString());

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
