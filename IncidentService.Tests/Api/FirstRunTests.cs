using System.Net;
using System.Net.Sockets;
using IncidentService.Tests.Cluster;

namespace IncidentService.Tests.Api;

/// <summary>What a newcomer sees when starting the service: its address, its start lines, a port already taken.</summary>
[Collection(nameof(IncidentService.Tests.Faults.RealClockRunsAlone))]
public sealed class FirstRunTests
{
    [Fact]
    public async Task A_taken_port_ends_the_start_with_one_line_naming_the_address_and_exit_code_1_before_anything_polls()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)other.LocalEndpoint).Port}";
        await using var service = ServiceProcess.Start(["--urls", address]);

        await service.WaitForExitAsync();

        var output = string.Join('\n', service.Lines);
        Assert.True(service.ExitCode == 1, $"exit code {service.ExitCode}:\n{output}");
        var naming = Assert.Single(service.Lines, l => l.Contains(address, StringComparison.Ordinal));
        Assert.Equal($"Failed to bind to address {address}: address already in use; stop what listens there, or choose another address with --urls or ASPNETCORE_URLS", naming);
        Assert.DoesNotContain(service.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(service.Lines, l => l.Contains("simulator", StringComparison.OrdinalIgnoreCase) || l.Contains("Refresher", StringComparison.Ordinal));
    }

    public static TheoryData<string[], string[], string> Addresses => new()
    {
        // (environment as NAME=value, command line, the winner's name)
        { ["ASPNETCORE_URLS=A"], [], "A" },
        { ["ASPNETCORE_URLS=A", "Urls=B"], [], "B" },
        { ["ASPNETCORE_URLS=A", "Urls=B"], ["--urls", "C"], "C" },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task The_address_comes_from_ASPNETCORE_URLS_then_Urls_then_the_command_line(string[] environment, string[] args, string winner)
    {
        var ports = new Dictionary<string, string> { ["A"] = Url(), ["B"] = Url(), ["C"] = Url() };
        await using var service = ServiceProcess.Start(
            args.Select(a => ports.GetValueOrDefault(a, a)),
            [.. environment.Select(e => e.Split('=')).Select(e => (e[0], ports[e[1]]))]);

        var listening = await service.WaitForLineAsync("Now listening on:");

        Assert.EndsWith($"Now listening on: {ports[winner]}", listening, StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = new Uri(ports[winner]) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task The_only_listening_line_is_the_services_and_the_embedded_simulator_says_it_is_the_simulator()
    {
        var address = Url();
        await using var service = ServiceProcess.Start(["--urls", address]);

        var simulator = await service.WaitForLineAsync("embedded upstream simulator at");

        var listening = Assert.Single(service.Lines, l => l.Contains("Now listening on:", StringComparison.Ordinal));
        Assert.EndsWith($"Now listening on: {address}", listening, StringComparison.Ordinal);
        Assert.Contains("SIMULATED", simulator, StringComparison.Ordinal);
        Assert.True(
            service.Lines.ToList().IndexOf(listening) < service.Lines.ToList().IndexOf(simulator),
            "the simulator started before the service listened:\n" + string.Join('\n', service.Lines));
    }

    [Fact]
    public async Task A_bare_number_as_a_duration_and_yes_as_a_switch_end_the_start_with_one_line_and_exit_code_1()
    {
        await using var service = ServiceProcess.Start(["--urls", Url(), "--Refresh:RetryBackoff", "30", "--Swagger:Enabled", "yes"]);

        await service.WaitForExitAsync();

        Assert.Equal(1, service.ExitCode);
        var line = Assert.Single(service.Lines);
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains("Refresh:RetryBackoff: '30' is not a duration (use hh:mm:ss, e.g. 00:00:30)", line, StringComparison.Ordinal);
        Assert.Contains("Swagger:Enabled: 'yes' is not true or false", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_key_is_warned_about_at_start_naming_the_nearest_known_key()
    {
        await using var service = ServiceProcess.Start(["--urls", Url(), "--Refresh:Intervall", "00:01:00"]);

        var warning = await service.WaitForLineAsync("Refresh:Intervall");

        Assert.Contains("Configuration key Refresh:Intervall is not one this service reads and is ignored; the nearest known key is Refresh:Interval", warning, StringComparison.Ordinal);
    }

    private static string Url() => $"http://127.0.0.1:{LoopbackPort.Free()}";
}
