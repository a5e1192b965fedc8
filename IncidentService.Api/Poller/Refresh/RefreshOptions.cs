using IncidentService.Core.Ledger;


namespace IncidentService.Api.Poller.Refresh;

/// <summary>The <c>Refresh</c> configuration section: how often the snapshot is rebuilt and how hard the upstream is pushed.</summary>
public sealed class RefreshOptions
{
    public const string SectionName = "Refresh";

    /// <summary>Time between refresh cycles; a cycle starts at once on startup.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upstream requests in flight, all feeds and retries together.</summary>
    public int MaxConcurrency { get; set; } = 3;

    /// <summary>How long a request may wait for the very first snapshot before it gets 503.</summary>
    public TimeSpan FirstSnapshotWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The service is unready when any target's served data is older than this many intervals.</summary>
    public int MaxSnapshotAgeIntervals { get; set; } = 3;

    /// <summary>First wait before a failed target is tried again on its own; doubles per failure up to the interval.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after start the first snapshot waits for every feed before it is served without the missing ones.</summary>
    public TimeSpan ServeIncompleteAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An identities answer with fewer than (1 - this) of the trusted entries is doubted.</summary>
    public double IdentityShrinkThreshold { get; set; } = 0.5;

    /// <summary>An identities answer that maps more than this share of the trusted addresses to other employees is doubted.</summary>
    public double IdentityChurnThreshold { get; set; } = RefreshPolicy.DefaultIdentityChurnThreshold;

    /// <summary>How long a doubted identities answer is topped up with the last trusted mappings.</summary>
    public TimeSpan IdentityRetention { get; set; } = TimeSpan.FromHours(1);

    public RefreshPolicy ToPolicy() =>
        new(Interval, RetryBackoff, MaxSnapshotAgeIntervals, ServeIncompleteAfter, IdentityShrinkThreshold, IdentityRetention, IdentityChurnThreshold);
}
