using System.Text.Json;

namespace IncidentService.Tests.Simulator;

public sealed class SimulatorTimeTests
{
    [Fact]
    public async Task Answers_are_byte_identical_while_the_clock_is_frozen()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        foreach (var path in new[] { "incidents/denial/", "incidents/other/", "identities/" })
        {
            var first = await harness.Client.GetByteArrayAsync(path);
            var second = await harness.Client.GetByteArrayAsync(path);
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public async Task Same_seed_gives_the_same_bytes_in_another_simulator_and_another_seed_does_not()
    {
        await using var one = await SimulatorHarness.StartAsync();
        await using var two = await SimulatorHarness.StartAsync();
        await using var other = await SimulatorHarness.StartAsync(o => o.Seed = 7);

        Assert.Equal(await one.GetStringAsync("incidents/intrusion/"), await two.GetStringAsync("incidents/intrusion/"));
        Assert.Equal(await one.GetStringAsync("identities/"), await two.GetStringAsync("identities/"));
        Assert.NotEqual(await one.GetStringAsync("incidents/intrusion/"), await other.GetStringAsync("incidents/intrusion/"));
        Assert.NotEqual(await one.GetStringAsync("identities/"), await other.GetStringAsync("identities/"));
    }

    [Fact]
    public async Task Advancing_the_clock_brings_new_incidents_and_ages_old_ones_out()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var before = await harness.GetResultsAsync("misuse");

        harness.Time.Advance(TimeSpan.FromDays(1));
        var after = await harness.GetResultsAsync("misuse");

        var beforeRaw = before.Select(i => i.GetRawText()).ToHashSet();
        var afterRaw = after.Select(i => i.GetRawText()).ToHashSet();
        var lastBefore = before.Max(i => i.GetProperty("timestamp").GetDecimal());
        var firstAfter = after.Min(i => i.GetProperty("timestamp").GetDecimal());
        var added = after.Where(i => !beforeRaw.Contains(i.GetRawText())).ToList();
        var dropped = before.Where(i => !afterRaw.Contains(i.GetRawText())).ToList();

        Assert.InRange(added.Count, 20, 80); // about 300 per 7 days → ~43 per day
        Assert.InRange(dropped.Count, 20, 80);
        Assert.All(added, i => Assert.True(i.GetProperty("timestamp").GetDecimal() > lastBefore));
        Assert.All(dropped, i => Assert.True(i.GetProperty("timestamp").GetDecimal() < firstAfter));
        Assert.InRange(after.Length, 250, 350);
    }

    [Fact]
    public async Task A_window_later_than_all_data_moves_shows_none_of_the_old_incidents()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var before = (await harness.GetResultsAsync("probing")).Select(i => i.GetRawText()).ToHashSet();

        harness.Time.Advance(TimeSpan.FromDays(8));
        var after = await harness.GetResultsAsync("probing");

        Assert.NotEmpty(after);
        Assert.DoesNotContain(after, i => before.Contains(i.GetRawText()));
    }

    [Fact]
    public async Task Identities_do_not_change_over_time()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var before = await harness.GetStringAsync("identities/");

        harness.Time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(before, await harness.GetStringAsync("identities/"));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(before).RootElement.ValueKind);
    }
}
