using IncidentService.Core.Identities;


namespace IncidentService.Tests.Core;

/// <summary>
/// An identities answer that suddenly maps many trusted addresses to other employees is doubted like one that shrank:
/// the trusted mappings stand for the retention, then a lasting answer becomes the truth.
/// </summary>
public sealed class IdentityChurnTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private const double Shrink = 0.5;
    private const double Churn = 0.2;

    [Fact]
    public void An_answer_moving_more_than_the_churn_share_keeps_the_trusted_employee_for_the_moved_addresses()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;

        var verdict = history.Accept(Directory(100, moved: 21), T0.AddMinutes(1), Shrink, Churn, Retention);

        Assert.True(verdict.Doubted);
        Assert.True(verdict.Churned);
        Assert.False(verdict.Shrunk);
        Assert.Equal(21, verdict.Moved);
        Assert.Equal(21, verdict.Retained);
        Assert.Equal(T0 + Retention, verdict.RetainedUntil);
        Assert.Same(history, verdict.History);
        Assert.True(verdict.Effective.HasSameEntries(Directory(100)));
    }

    [Fact]
    public void An_answer_moving_exactly_the_churn_share_is_trusted()
    {
        var verdict = IdentityHistory.First(Directory(100), T0).History.Accept(Directory(100, moved: 20), T0.AddMinutes(1), Shrink, Churn, Retention);

        Assert.False(verdict.Doubted);
        Assert.False(verdict.Churned);
        Assert.Equal(20, verdict.Moved);
        Assert.Equal(0, verdict.Retained);
        Assert.True(verdict.Effective.HasSameEntries(Directory(100, moved: 20)));
        Assert.True(verdict.History.Trusted.HasSameEntries(Directory(100, moved: 20)));
    }

    [Fact]
    public void Addresses_new_to_a_churned_answer_are_taken_and_missing_ones_kept()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;
        var fresh = new Dictionary<string, long>(Entries(Directory(90, moved: 30))) { ["192.0.2.1"] = 7 };

        var verdict = history.Accept(new IdentityDirectory(fresh), T0.AddMinutes(1), Shrink, Churn, Retention);

        Assert.True(verdict.Churned);
        Assert.False(verdict.Shrunk);
        Assert.Equal(30 + 10, verdict.Retained);
        Assert.Equal(101, verdict.Effective.Count);
        Assert.True(verdict.Effective.TryResolve("192.0.2.1", out var added));
        Assert.Equal(7, added);
        Assert.True(verdict.Effective.TryResolve(Ip(1), out var kept));
        Assert.Equal(1, kept);
    }

    [Fact]
    public void An_answer_both_shrunk_and_churned_is_doubted_for_both()
    {
        var verdict = IdentityHistory.First(Directory(100), T0).History.Accept(Directory(40, moved: 40), T0.AddMinutes(1), Shrink, Churn, Retention);

        Assert.True(verdict.Shrunk);
        Assert.True(verdict.Churned);
        Assert.Equal(100, verdict.Retained);
        Assert.True(verdict.Effective.HasSameEntries(Directory(100)));
    }

    [Fact]
    public void A_shrunken_answer_that_moves_a_few_addresses_keeps_their_new_employee()
    {
        var verdict = IdentityHistory.First(Directory(100), T0).History.Accept(Directory(40, moved: 5), T0.AddMinutes(1), Shrink, Churn, Retention);

        Assert.True(verdict.Shrunk);
        Assert.False(verdict.Churned);
        Assert.Equal(60, verdict.Retained);
        Assert.True(verdict.Effective.TryResolve(Ip(1), out var moved));
        Assert.Equal(2, moved);
    }

    [Fact]
    public void Alternating_answers_never_move_the_attribution_within_the_retention()
    {
        var trusted = Directory(100);
        var history = IdentityHistory.First(trusted, T0).History;

        for (var minute = 1; minute <= 6; minute++)
        {
            var verdict = history.Accept(minute % 2 == 1 ? Directory(100, moved: 100) : trusted, T0.AddMinutes(minute), Shrink, Churn, Retention);
            Assert.Equal(minute % 2 == 1, verdict.Churned);
            Assert.True(verdict.Effective.HasSameEntries(trusted), $"minute {minute}");
            history = verdict.History;
        }
    }

    [Fact]
    public void A_churned_answer_that_lasts_past_the_retention_becomes_the_truth()
    {
        var history = IdentityHistory.First(Directory(100), T0).History;

        var doubted = history.Accept(Directory(100, moved: 50), T0 + Retention, Shrink, Churn, Retention);
        var believed = history.Accept(Directory(100, moved: 50), T0 + Retention + TimeSpan.FromTicks(1), Shrink, Churn, Retention);

        Assert.True(doubted.Doubted);
        Assert.False(believed.Doubted);
        Assert.Equal(50, believed.Moved);
        Assert.True(believed.Effective.HasSameEntries(Directory(100, moved: 50)));
    }

    [Fact]
    public void Addresses_that_are_no_printed_ipv4_count_as_moved_too()
    {
        var trusted = new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 1, ["10.0.0.2"] = 2, ["2001:db8::1"] = 3, ["2001:db8::2"] = 4, ["2001:db8::3"] = 5 });
        var fresh = new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 9, ["10.0.0.2"] = 2, ["2001:db8::1"] = 8, ["2001:db8::2"] = 7, ["2001:db8::3"] = 5 });

        var verdict = IdentityHistory.First(trusted, T0).History.Accept(fresh, T0.AddMinutes(1), Shrink, Churn, Retention);

        Assert.Equal(3, verdict.Moved);
        Assert.True(verdict.Churned);
        Assert.True(verdict.Effective.TryResolve("2001:db8::2", out var kept));
        Assert.Equal(4, kept);
    }

    [Fact]
    public void The_doubts_have_stable_labels()
    {
        Assert.Equal("shrunk", IdentityDoubts.Label(IdentityDoubt.Shrunk));
        Assert.Equal("churned", IdentityDoubts.Label(IdentityDoubt.Churned));
        var verdict = IdentityHistory.First(Directory(100), T0).History.Accept(Directory(40, moved: 40), T0.AddMinutes(1), Shrink, Churn, Retention);
        Assert.Equal([IdentityDoubt.Shrunk, IdentityDoubt.Churned], verdict.Doubts);
        Assert.Equal([IdentityDoubt.Shrunk], (verdict with { Churned = false }).Doubts);
        Assert.Equal([IdentityDoubt.Churned], (verdict with { Shrunk = false }).Doubts);
        Assert.Empty(IdentityHistory.First(Directory(100), T0).Doubts);
        Assert.Equal("unknown", IdentityDoubts.Label((IdentityDoubt)99));
    }

    private static string Ip(int i) => $"10.0.{i / 256}.{i % 256}";

    /// <summary>Addresses 1..count, each with its own employee; the first <paramref name="moved"/> with the next one's instead.</summary>
    private static IdentityDirectory Directory(int count, int moved = 0) =>
        new(Enumerable.Range(1, count).ToDictionary(Ip, i => i <= moved ? (long)i + 1 : i));

    private static Dictionary<string, long> Entries(IdentityDirectory directory) => directory.Entries.ToDictionary(e => e.Key, e => e.Value);
}
