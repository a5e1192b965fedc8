using IncidentService.Core.Identities;


namespace IncidentService.Tests.Core;

public sealed class IdentityHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    [Fact]
    public void A_shrunken_answer_keeps_the_trusted_mappings_for_the_missing_ips()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;

        var verdict = history.Accept(Directory(10), T0.AddMinutes(1), 0.5, 0.2, Retention);

        Assert.True(verdict.Doubted);
        Assert.Equal(90, verdict.Retained);
        Assert.Equal(100, verdict.Effective.Count);
        Assert.Equal(T0 + Retention, verdict.RetainedUntil);
        Assert.Same(history, verdict.History);
    }

    [Fact]
    public void An_empty_answer_is_doubted_too()
    {
        var verdict = IdentityHistory.First(Directory(100), T0).History.Accept(Directory(0), T0.AddMinutes(1), 0.5, 0.2, Retention);

        Assert.Equal(100, verdict.Effective.Count);
    }

    [Fact]
    public void New_values_in_a_shrunken_answer_still_win()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;
        var fresh = new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 999 });

        var verdict = history.Accept(fresh, T0.AddMinutes(1), 0.5, 0.2, Retention);

        Assert.True(verdict.Effective.TryResolve("10.0.0.1", out var employee));
        Assert.Equal(999, employee);
    }

    [Fact]
    public void A_normal_answer_is_trusted_and_replaces_the_history()
    {
        var verdict = IdentityHistory.First(Directory(100), T0).History.Accept(Directory(60), T0.AddMinutes(1), 0.5, 0.2, Retention);

        Assert.False(verdict.Doubted);
        Assert.Equal(60, verdict.Effective.Count);
        Assert.Equal(60, verdict.History.Trusted.Count);
    }

    [Fact]
    public void After_the_retention_a_small_answer_becomes_the_truth()
    {
        var verdict = IdentityHistory.First(Directory(100), T0).History.Accept(Directory(10), T0 + Retention + TimeSpan.FromSeconds(1), 0.5, 0.2, Retention);

        Assert.False(verdict.Doubted);
        Assert.Equal(10, verdict.Effective.Count);
    }

    private static IdentityDirectory Directory(int count) =>
        new(Enumerable.Range(1, count).ToDictionary(i => $"10.0.{i / 256}.{i % 256}", i => (long)i));
}
