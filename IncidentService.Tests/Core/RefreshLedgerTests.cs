using System.Collections.Immutable;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;

namespace IncidentService.Tests.Core;

public sealed class RefreshLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly RefreshPolicy Policy = new(
        Interval: TimeSpan.FromSeconds(30),
        RetryBackoff: TimeSpan.FromSeconds(2),
        MaxDataAgeIntervals: 3,
        ServeIncompleteAfter: TimeSpan.FromMinutes(1),
        IdentityShrinkThreshold: 0.5,
        IdentityRetention: TimeSpan.FromHours(1));

    private static readonly IdentityDirectory Identities = new(new Dictionary<string, long> { ["10.0.0.1"] = 7 });

    [Fact]
    public void A_new_ledger_knows_every_target_and_holds_until_the_identities_answer()
    {
        var ledger = RefreshLedger.Start(["denial", "probing"], Start);

        Assert.Equal(["denial", "identities", "probing"], ledger.Targets.Keys);
        Assert.All(ledger.Targets.Values, t => Assert.True(t.Stale));
        Assert.Equal("the identities have not answered yet", Assert.IsType<HoldSnapshot>(ledger.Decide(Start, Policy)).Reason);
    }

    [Fact]
    public void Identities_alone_are_not_a_snapshot()
    {
        var ledger = Apply(RefreshLedger.Start(["denial"], Start), IdentitiesAt(Start));

        Assert.Equal("no feed has answered yet", Assert.IsType<HoldSnapshot>(ledger.Decide(Start + TimeSpan.FromHours(1), Policy)).Reason);
    }

    [Fact]
    public void A_feed_that_never_answered_holds_the_snapshot_until_the_deadline_then_it_is_served_as_missing()
    {
        var ledger = Apply(RefreshLedger.Start(["denial", "probing"], Start), IdentitiesAt(Start), FeedAt("denial", Start), Failed("probing", Start));
        var deadline = Start + Policy.ServeIncompleteAfter;

        var hold = Assert.IsType<HoldSnapshot>(ledger.Decide(deadline - TimeSpan.FromTicks(1), Policy));
        var serve = Assert.IsType<ServeSnapshot>(ledger.Decide(deadline, Policy));

        Assert.Equal("waiting until 2026-11-29T12:01:00.0000000+00:00 for feeds that have not answered yet: probing", hold.Reason);
        Assert.Equal(deadline, ledger.ServeIncompleteAt(Policy));
        Assert.Equal(["probing"], serve.Sources.MissingFeeds.ToArray());
        Assert.Equal(["denial"], serve.Sources.Feeds.Select(f => f.Feed));
    }

    [Fact]
    public void When_every_feed_answered_the_snapshot_is_served_at_once_with_the_oldest_answer_as_its_data_time()
    {
        var ledger = Apply(
            RefreshLedger.Start(["denial", "probing"], Start),
            IdentitiesAt(Start + TimeSpan.FromSeconds(30)),
            FeedAt("denial", Start + TimeSpan.FromSeconds(10)),
            FeedAt("probing", Start + TimeSpan.FromSeconds(20)));

        var serve = Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromSeconds(30), Policy));

        Assert.Empty(serve.Sources.MissingFeeds);
        Assert.Equal(Start + TimeSpan.FromSeconds(10), serve.Sources.DataAsOf);
        Assert.Equal(["denial", "probing"], serve.Sources.Feeds.Select(f => f.Feed)); // the configured order
        Assert.Same(Identities, serve.Sources.Identities);
    }

    [Fact]
    public void A_failure_keeps_the_last_good_answer_and_records_why_and_since_when()
    {
        var ledger = Apply(RefreshLedger.Start(["denial"], Start), IdentitiesAt(Start), FeedAt("denial", Start));
        var good = ledger.LastGoodFeeds["denial"];

        ledger = Apply(ledger, Failed("denial", Start + TimeSpan.FromSeconds(30)));
        ledger = Apply(ledger, Failed("denial", Start + TimeSpan.FromSeconds(60), FetchFailureKind.Timeout));

        var denial = ledger["denial"];
        Assert.Same(good, ledger.LastGoodFeeds["denial"]);
        Assert.True(denial.Stale);
        Assert.Equal(Start, denial.LastSuccess);
        Assert.Equal(Start + TimeSpan.FromSeconds(30), denial.FailingSince);
        Assert.Equal(Start + TimeSpan.FromSeconds(60), denial.LastAttempt);
        Assert.Equal(FetchFailureKind.Timeout, denial.LastErrorKind);
        Assert.Equal("failed", denial.LastError);
        Assert.Equal(2, denial.ConsecutiveFailures);
        Assert.Equal(Start, Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromSeconds(60), Policy)).Sources.DataAsOf);
    }

    [Fact]
    public void A_success_after_failures_clears_the_error_the_run_and_the_retry()
    {
        var ledger = Apply(RefreshLedger.Start(["denial"], Start), Failed("denial", Start), Failed("denial", Start + TimeSpan.FromSeconds(2)));

        ledger = Apply(ledger, FeedAt("denial", Start + TimeSpan.FromSeconds(6)));

        var denial = ledger["denial"];
        Assert.False(denial.Stale);
        Assert.Null(denial.LastError);
        Assert.Null(denial.LastErrorKind);
        Assert.Null(denial.FailingSince);
        Assert.Null(denial.RetryAt);
        Assert.Equal(0, denial.ConsecutiveFailures);
        Assert.Equal(1, denial.Items);
        Assert.Null(ledger.NextRetryAt);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(1000, 30)]
    public void Retries_back_off_by_doubling_up_to_the_interval(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Policy.RetryDelay(failures));
    }

    [Fact]
    public void A_failed_target_is_due_for_retry_a_backoff_after_its_attempt_ended()
    {
        var ledger = Apply(
            RefreshLedger.Start(["denial", "probing"], Start),
            IdentitiesAt(Start),
            Failed("probing", Start, duration: TimeSpan.FromSeconds(3)),
            Failed("denial", Start, duration: TimeSpan.FromSeconds(1)));

        Assert.Equal(Start + TimeSpan.FromSeconds(3), ledger.NextRetryAt);
        Assert.Empty(ledger.DueForRetry(Start + TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1)));
        Assert.Equal(["denial"], ledger.DueForRetry(Start + TimeSpan.FromSeconds(3)));
        Assert.Equal(["denial", "probing"], ledger.DueForRetry(Start + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void The_identities_come_first_in_a_cycle_and_among_due_retries()
    {
        var ledger = Apply(RefreshLedger.Start(["denial", "probing"], Start), Failed("probing", Start), Failed("identities", Start), Failed("denial", Start));

        Assert.Equal(["identities", "denial", "probing"], ledger.Names);
        Assert.Equal(["identities", "denial", "probing"], ledger.DueForRetry(Start + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void The_data_time_counts_the_identities_too()
    {
        var ledger = Apply(
            RefreshLedger.Start(["denial"], Start),
            IdentitiesAt(Start + TimeSpan.FromSeconds(5)),
            FeedAt("denial", Start + TimeSpan.FromSeconds(9)));

        Assert.Equal(Start + TimeSpan.FromSeconds(5), Assert.IsType<ServeSnapshot>(ledger.Decide(Start + TimeSpan.FromMinutes(1), Policy)).Sources.DataAsOf);
    }

    [Fact]
    public void Readiness_holds_up_to_the_age_limit_and_fails_past_it_naming_the_old_target()
    {
        var ledger = Apply(RefreshLedger.Start(["denial"], Start), IdentitiesAt(Start + TimeSpan.FromSeconds(60)), FeedAt("denial", Start));
        var limit = Policy.MaxDataAge;

        var atLimit = ledger.Readiness(Start + limit, Policy);
        var past = ledger.Readiness(Start + limit + TimeSpan.FromSeconds(1), Policy);

        Assert.True(atLimit.Ready, atLimit.Description);
        Assert.Equal("every target's data is within 90 s", atLimit.Description);
        Assert.False(past.Ready);
        Assert.Equal("denial data is 91 s old (limit 90 s)", past.Description);
    }

    [Fact]
    public void A_target_that_never_answered_is_old_from_the_start()
    {
        var ledger = Apply(RefreshLedger.Start(["denial", "probing"], Start), IdentitiesAt(Start + TimeSpan.FromSeconds(90)), FeedAt("denial", Start + TimeSpan.FromSeconds(90)));

        Assert.True(ledger.Readiness(Start + TimeSpan.FromSeconds(90), Policy).Ready);
        Assert.Equal("probing has not answered in 91 s (limit 90 s)", ledger.Readiness(Start + TimeSpan.FromSeconds(91), Policy).Description);
    }

    [Fact]
    public void Doubted_identities_keep_their_trusted_mappings_and_say_so_in_the_note()
    {
        var many = new IdentityDirectory(Enumerable.Range(1, 10).ToDictionary(i => $"10.0.0.{i}", i => (long)i));
        var few = new IdentityDirectory(new Dictionary<string, long> { ["10.0.0.1"] = 1 });
        var ledger = Apply(RefreshLedger.Start(["denial"], Start), new IdentitiesFetched(many, Start, TimeSpan.Zero));

        var update = ledger.Apply([new IdentitiesFetched(few, Start + TimeSpan.FromSeconds(30), TimeSpan.Zero)], Policy);

        Assert.True(update.Identities!.Doubted);
        Assert.Equal(10, update.Ledger.Identities!.Count);
        Assert.Equal(1, update.Ledger["identities"].Items);
        Assert.StartsWith("answer had 1 of 10 trusted entries; keeping 9 earlier mappings until ", update.Ledger["identities"].Note, StringComparison.Ordinal);
        Assert.Null(ledger.Apply([new IdentitiesFetched(many, Start + TimeSpan.FromSeconds(30), TimeSpan.Zero)], Policy).Ledger["identities"].Note);
    }

    [Theory]
    [InlineData(10, 3, 0.2, "answer mapped 3 of 10 trusted entries to other employees; keeping 3 earlier mappings until ")]
    [InlineData(4, 3, 0.2, "answer had 4 of 10 trusted entries and mapped 3 of them to other employees; keeping 9 earlier mappings until ")]
    [InlineData(10, 3, 0.3, null)]
    public void Identities_that_moved_to_other_employees_are_doubted_by_the_policy_and_say_so_in_the_note(int kept, int moved, double churn, string? note)
    {
        var many = new IdentityDirectory(Enumerable.Range(1, 10).ToDictionary(i => $"10.0.0.{i}", i => (long)i));
        var churned = new IdentityDirectory(Enumerable.Range(1, kept).ToDictionary(i => $"10.0.0.{i}", i => i <= moved ? i + 100L : i));
        var ledger = Apply(RefreshLedger.Start(["denial"], Start), new IdentitiesFetched(many, Start, TimeSpan.Zero));

        var update = ledger.Apply([new IdentitiesFetched(churned, Start + TimeSpan.FromSeconds(30), TimeSpan.Zero)], Policy with { IdentityChurnThreshold = churn });

        Assert.Equal(note is not null, update.Identities!.Churned);
        Assert.Equal(note is null ? null : $"{note}{Start + TimeSpan.FromHours(1):O}", update.Ledger["identities"].Note);
        Assert.True(update.Ledger.Identities!.TryResolve("10.0.0.1", out var employee));
        Assert.Equal(note is null ? 101 : 1, employee);
    }

    [Fact]
    public void The_churn_threshold_is_a_fifth_unless_configured()
    {
        Assert.Equal(0.2, Policy.IdentityChurnThreshold);
    }

    [Fact]
    public void Skipped_identities_entries_are_the_targets_malformed_counts()
    {
        var directory = new IdentityDirectory(new Dictionary<string, long>(), ImmutableSortedDictionary<string, int>.Empty.Add(MalformedReason.IdentityEntryInvalid, 2));

        var ledger = Apply(RefreshLedger.Start([], Start), new IdentitiesFetched(directory, Start, TimeSpan.Zero));

        Assert.Equal(2, ledger["identities"].Malformed[MalformedReason.IdentityEntryInvalid]);
    }

    [Theory]
    [InlineData(FetchFailureKind.Unexpected, "unexpected")]
    [InlineData(FetchFailureKind.Unauthorized, "unauthorized")]
    [InlineData(FetchFailureKind.HttpStatus, "httpstatus")]
    [InlineData(FetchFailureKind.Timeout, "timeout")]
    [InlineData(FetchFailureKind.CircuitOpen, "circuitopen")]
    [InlineData(FetchFailureKind.Network, "network")]
    [InlineData(FetchFailureKind.BadBody, "badbody")]
    [InlineData(FetchFailureKind.TooLarge, "toolarge")]
    public void Failure_kinds_have_stable_labels(FetchFailureKind kind, string label)
    {
        Assert.Equal(label, FetchFailureKinds.Label(kind));
    }

    private static RefreshLedger Apply(RefreshLedger ledger, params FetchOutcome[] outcomes) => ledger.Apply(outcomes, Policy).Ledger;

    private static IdentitiesFetched IdentitiesAt(DateTimeOffset at) => new(Identities, at, TimeSpan.Zero);

    private static FeedFetched FeedAt(string feed, DateTimeOffset at) =>
        new(FeedBatch.Parse(new FeedDefinition(feed, "employee_id"), """{"results":[{"priority":"low","employee_id":7,"timestamp":1}]}"""u8.ToArray()), at, TimeSpan.Zero);

    private static FetchFailed Failed(string target, DateTimeOffset at, FetchFailureKind kind = FetchFailureKind.HttpStatus, TimeSpan? duration = null) =>
        new(Target.Named(target), kind, "failed", at, duration ?? TimeSpan.Zero);
}
