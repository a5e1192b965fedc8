using System.Collections.Immutable;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;

namespace IncidentService.Core.Ledger;

/// <summary>
/// Everything the refresh rules remember between cycles, as one immutable value: each target's state, each feed's last
/// good answer, the identities' trust history. Cycles fold their fetch outcomes in with <see cref="Apply"/>; what may be
/// served (<see cref="Decide"/>), whether the data is fresh enough (<see cref="Readiness"/>) and which targets to try
/// again early (<see cref="DueForRetry"/>) are read off it. No I/O and no clock: time comes in as values.
/// </summary>
public sealed record RefreshLedger
{
    private RefreshLedger(DateTimeOffset startedAt, ImmutableArray<string> feeds)
    {
        StartedAt = startedAt;
        Feeds = feeds;
        Targets = Names.ToImmutableSortedDictionary(name => name, name => new TargetState(name), StringComparer.Ordinal);
    }

    /// <summary>When the service started reading the upstream: a target that never answered has no data since then.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The feeds a complete snapshot has, in their configured order.</summary>
    public ImmutableArray<string> Feeds { get; }

    public ImmutableSortedDictionary<string, TargetState> Targets { get; private init; }

    public ImmutableSortedDictionary<string, FeedBatch> LastGoodFeeds { get; private init; } = ImmutableSortedDictionary<string, FeedBatch>.Empty;

    /// <summary>The identities incidents are attributed with (a doubted answer topped up); null until the first answer.</summary>
    public IdentityDirectory? Identities { get; private init; }

    public IdentityHistory? IdentityHistory { get; private init; }

    /// <summary>The identities and every feed: what one regular cycle fetches, identities first.</summary>
    public IEnumerable<string> Names => Feeds.Prepend(Target.Identities.Name);

    public static RefreshLedger Start(IEnumerable<string> feeds, DateTimeOffset now) => new(now, [.. feeds]);

    /// <summary>
    /// A ledger as it was stored by a replica (or an earlier run): the rules continue from it, failing targets keep
    /// their last good data and the identities their retention clock. Targets not among <paramref name="feeds"/> are dropped.
    /// </summary>
    public static RefreshLedger Restore(
        DateTimeOffset startedAt,
        IEnumerable<string> feeds,
        IEnumerable<TargetState> targets,
        IEnumerable<FeedBatch> lastGoodFeeds,
        IdentityDirectory? identities,
        IdentityHistory? identityHistory)
    {
        var ledger = new RefreshLedger(startedAt, [.. feeds]);
        var known = ledger.Targets;
        return ledger with
        {
            Targets = known.SetItems(targets.Where(t => known.ContainsKey(t.Name)).Select(t => KeyValuePair.Create(t.Name, t))),
            LastGoodFeeds = lastGoodFeeds.Where(b => ledger.Feeds.Contains(b.Feed)).ToImmutableSortedDictionary(b => b.Feed, b => b, StringComparer.Ordinal),
            Identities = identities,
            IdentityHistory = identityHistory,
        };
    }

    public TargetState this[string target] => Targets[target];

    /// <summary>Folds one cycle's outcomes in: a success replaces the target's data, a failure keeps it and schedules a retry.</summary>
    public LedgerUpdate Apply(IEnumerable<FetchOutcome> outcomes, RefreshPolicy policy)
    {
        var ledger = this;
        IdentityVerdict? verdict = null;
        foreach (var outcome in outcomes)
        {
            var state = ledger.Targets.GetValueOrDefault(outcome.Target.Name) ?? new TargetState(outcome.Target.Name);
            state = state with { LastAttempt = outcome.At, LastDuration = outcome.Duration };
            switch (outcome)
            {
                case FeedFetched fetched:
                    state = Succeeded(state, outcome.At, fetched.Batch.Incidents.Count) with { Malformed = fetched.Batch.Malformed };
                    ledger = ledger with { LastGoodFeeds = ledger.LastGoodFeeds.SetItem(outcome.Target.Name, fetched.Batch) };
                    break;
                case IdentitiesFetched fetched:
                    verdict = ledger.IdentityHistory is { } history
                        ? history.Accept(fetched.Directory, outcome.At, policy.IdentityShrinkThreshold, policy.IdentityChurnThreshold, policy.IdentityRetention)
                        : IdentityHistory.First(fetched.Directory, outcome.At);
                    state = Succeeded(state, outcome.At, fetched.Directory.Count) with { Malformed = fetched.Directory.Skipped, Note = Note(verdict, fetched.Directory) };
                    ledger = ledger with { IdentityHistory = verdict.History, Identities = verdict.Effective };
                    break;
                case FetchFailed failed:
                    var failures = state.ConsecutiveFailures + 1;
                    state = state with
                    {
                        LastError = failed.Error,
                        LastErrorKind = failed.Kind,
                        FailingSince = state.FailingSince ?? outcome.At,
                        ConsecutiveFailures = failures,
                        RetryAt = outcome.At + outcome.Duration + policy.RetryDelay(failures),
                    };
                    break;
            }

            ledger = ledger with { Targets = ledger.Targets.SetItem(outcome.Target.Name, state) };
        }

        return new LedgerUpdate(ledger, verdict);
    }

    /// <summary>
    /// A snapshot needs the identities and at least one feed. While a feed has never answered, the first snapshot waits
    /// for it until <see cref="RefreshPolicy.ServeIncompleteAfter"/> has passed since start; then it is served without
    /// that feed, and says so.
    /// </summary>
    public ServingDecision Decide(DateTimeOffset now, RefreshPolicy policy)
    {
        if (Identities is not { } identities)
        {
            return new HoldSnapshot("the identities have not answered yet");
        }

        if (LastGoodFeeds.IsEmpty)
        {
            return new HoldSnapshot("no feed has answered yet");
        }

        var missing = Feeds.Where(feed => !LastGoodFeeds.ContainsKey(feed)).ToImmutableArray();
        var deadline = StartedAt + policy.ServeIncompleteAfter;
        if (!missing.IsEmpty && now < deadline)
        {
            return new HoldSnapshot($"waiting until {deadline:O} for feeds that have not answered yet: {string.Join(", ", missing)}");
        }

        var present = Feeds.Where(LastGoodFeeds.ContainsKey).ToList();
        var dataAsOf = Targets.Values.Where(t => t.Name == Target.Identities.Name || LastGoodFeeds.ContainsKey(t.Name)).Min(t => t.LastSuccess!.Value);
        return new ServeSnapshot(new SnapshotSources([.. present.Select(feed => LastGoodFeeds[feed])], identities, dataAsOf, missing));
    }

    /// <summary>When <see cref="Decide"/> stops waiting for missing feeds.</summary>
    public DateTimeOffset ServeIncompleteAt(RefreshPolicy policy) => StartedAt + policy.ServeIncompleteAfter;

    /// <summary>Fresh enough when every target's served data (or, for one that never answered, the wait since start) is within the limit.</summary>
    public DataReadiness Readiness(DateTimeOffset now, RefreshPolicy policy)
    {
        var limit = policy.MaxDataAge;
        var old = Names
            .Select(name => (Name: name, Since: Targets[name].LastSuccess))
            .Select(t => (t.Name, t.Since, Age: now - (t.Since ?? StartedAt)))
            .Where(t => t.Age > limit)
            .Select(t => t.Since is null
                ? $"{t.Name} has not answered in {t.Age.TotalSeconds:0} s"
                : $"{t.Name} data is {t.Age.TotalSeconds:0} s old")
            .ToList();
        return old.Count == 0
            ? new DataReadiness(true, $"every target's data is within {limit.TotalSeconds:0} s")
            : new DataReadiness(false, $"{string.Join("; ", old)} (limit {limit.TotalSeconds:0} s)");
    }

    /// <summary>The earliest time a failing target is due for its own retry; null when none is failing.</summary>
    public DateTimeOffset? NextRetryAt => Targets.Values.Where(s => s.RetryAt is not null).Select(s => s.RetryAt).Min();

    /// <summary>Failing targets whose retry is due, identities first.</summary>
    public IReadOnlyList<string> DueForRetry(DateTimeOffset now) => [.. Names.Where(name => Targets[name].RetryAt <= now)];

    private static TargetState Succeeded(TargetState state, DateTimeOffset at, int items) =>
        state with { LastSuccess = at, LastError = null, LastErrorKind = null, FailingSince = null, ConsecutiveFailures = 0, RetryAt = null, Items = items, Note = null };

    private static string? Note(IdentityVerdict verdict, IdentityDirectory fresh)
    {
        var trusted = verdict.History.Trusted.Count;
        var why = (verdict.Shrunk, verdict.Churned) switch
        {
            (true, true) => $"answer had {fresh.Count} of {trusted} trusted entries and mapped {verdict.Moved} of them to other employees",
            (false, true) => $"answer mapped {verdict.Moved} of {trusted} trusted entries to other employees",
            (true, false) => $"answer had {fresh.Count} of {trusted} trusted entries",
            _ => null,
        };
        return why is null ? null : $"{why}; keeping {verdict.Retained} earlier mappings until {verdict.RetainedUntil:O}";
    }
}

/// <summary>The next ledger, and the identities verdict when identities were among the outcomes.</summary>
public sealed record LedgerUpdate(RefreshLedger Ledger, IdentityVerdict? Identities);

/// <summary>Whether the served data is fresh enough to call the service ready, in words for the probe.</summary>
public sealed record DataReadiness(bool Ready, string Description);
