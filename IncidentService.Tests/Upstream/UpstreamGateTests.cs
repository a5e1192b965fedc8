using IncidentService.Upstream;

namespace IncidentService.Tests.Upstream;

/// <summary><see cref="UpstreamGate.InFlight"/> is the <c>incidents_upstream_in_flight</c> metric: it must count slots exactly.</summary>
public sealed class UpstreamGateTests
{
    [Fact]
    public async Task In_flight_counts_the_slots_taken_and_not_yet_released()
    {
        using var gate = new UpstreamGate(3);

        var first = await gate.EnterAsync(CancellationToken.None);
        var second = await gate.EnterAsync(CancellationToken.None);
        Assert.Equal(2, gate.InFlight);

        first.Dispose();
        Assert.Equal(1, gate.InFlight);

        second.Dispose();
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task A_slot_released_twice_frees_one_place_only()
    {
        using var gate = new UpstreamGate(1);
        var slot = await gate.EnterAsync(CancellationToken.None);

        slot.Dispose();
        slot.Dispose();

        Assert.Equal(0, gate.InFlight);
        using var again = await gate.EnterAsync(CancellationToken.None);
        Assert.False(gate.EnterAsync(CancellationToken.None).IsCompleted); // one place, taken again
        Assert.Equal(1, gate.InFlight);
    }

    [Fact]
    public async Task A_full_gate_makes_the_next_caller_wait_without_counting_it()
    {
        using var gate = new UpstreamGate(1);
        var held = await gate.EnterAsync(CancellationToken.None);

        var waiting = gate.EnterAsync(CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, gate.InFlight);
        held.Dispose();
        using var next = await waiting;
        Assert.Equal(1, gate.InFlight);
    }

    [Fact]
    public void A_concurrency_below_one_is_refused_naming_the_setting()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new UpstreamGate(0));

        Assert.Equal("maxConcurrency", refused.ParamName);
    }
}
