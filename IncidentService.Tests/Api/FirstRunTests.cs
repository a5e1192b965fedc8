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

    private static string Url() => $"http://127.0.0.1:{LoopbackPort.Free()}";
}
