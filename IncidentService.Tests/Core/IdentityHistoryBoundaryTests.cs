using IncidentService.Core.Identities;


namespace IncidentService.Tests.Core;

/// <summary>The two edges of doubt: exactly the shrink threshold, and exactly the end of the retention.</summary>
public sealed class IdentityHistoryBoundaryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    [Fact]
    public void An_answer_missing_exactly_the_threshold_share_is_trusted()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;

        var verdict = history.Accept(Directory(50), T0.AddMinutes(1), 0.5, 0.2, Retention);

        Assert.False(verdict.Doubted);
        Assert.Equal(50, verdict.Effective.Count);
    }

    [Fact]
    public void An_answer_missing_one_more_than_the_threshold_share_is_doubted()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;

        var verdict = history.Accept(Directory(49), T0.AddMinutes(1), 0.5, 0.2, Retention);

        Assert.True(verdict.Doubted);
        Assert.Equal(100, verdict.Effective.Count);
    }

    [Fact]
    public void At_exactly_the_end_of_the_retention_a_small_answer_is_still_doubted()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;

        var verdict = history.Accept(Directory(10), T0 + Retention, 0.5, 0.2, Retention);

        Assert.True(verdict.Doubted);
        Assert.Equal(100, verdict.Effective.Count);
        Assert.Equal(T0 + Retention, verdict.RetainedUntil);
    }

    [Fact]
    public void One_tick_after_the_retention_a_small_answer_becomes_the_truth()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;

        var verdict = history.Accept(Directory(10), T0 + Retention + TimeSpan.FromTicks(1), 0.5, 0.2, Retention);

        Assert.False(verdict.Doubted);
        Assert.Equal(10, verdict.Effective.Count);
    }

    private static IdentityDirectory Directory(int count) =>
        new(Enumerable.Range(1, count).ToDictionary(i => $"10.0.{i / 256}.{i % 256}", i => (long)i));
}
