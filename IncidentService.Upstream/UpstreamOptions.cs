namespace IncidentService.Upstream;

/// <summary>
/// The <c>Upstream</c> configuration section: where the incident API is and how patiently to call it. Each range is
/// declared here and checked by <see cref="UpstreamOptionsRanges"/>; rules across keys are <see cref="UpstreamOptionsValidator"/>'s.
/// A message is what follows the key: the failure reads <c>Upstream:Key: message</c>.
/// </summary>
public sealed class UpstreamOptions
{
    public const string SectionName = "Upstream";

    private const string Positive = "must be a positive duration, such as 00:00:05";

    /// <summary>Base URL of the incident API; unset means the embedded simulator (Development only).</summary>
    public Uri? BaseUrl { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>One attempt's limit; above the upstream's observed 6 s worst case.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true, ErrorMessage = Positive)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One call's limit across all its attempts; must stay below <c>Refresh:Interval</c>.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(25);

    [SettingRange(0, 10, ErrorMessage = "must be between 0 and 10")]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base of the exponential, jittered backoff between attempts.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true, ErrorMessage = Positive)]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A <c>Retry-After</c> longer than this is cut to this, so one answer cannot stall a cycle.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true, ErrorMessage = Positive)]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a feed's circuit stays open before one probe is let through.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true, ErrorMessage = Positive)]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Window in which failures are counted for a feed's circuit; at least twice <see cref="AttemptTimeout"/>.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An attempt this side gave up on (timeout, cancellation, oversized body) keeps its concurrency slot until the
    /// upstream is done with it (answers, or closes the connection), at most this long; then its connection is closed.
    /// Above the 150 s a hung upstream was seen to keep requests. Zero closes the connection at once.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be between 00:00:00 and 01:00:00")]
    public TimeSpan AbandonedAttemptHold { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>A response body larger than this is a failure, not an allocation.</summary>
    [SettingRange(typeof(long), "1", "9223372036854775807", ErrorMessage = "must be positive")]
    public long MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Feed name → the item field that names the person (contract §2 by default).</summary>
    public Dictionary<string, string> IdentityFields { get; set; } = [];
}
