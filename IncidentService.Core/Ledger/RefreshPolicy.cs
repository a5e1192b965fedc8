namespace IncidentService.Core.Ledger;

/// <summary>The settings the refresh rules depend on, as plain values.</summary>
/// <param name="Interval">Time between regular cycles.</param>
/// <param name="RetryBackoff">First wait before a failed target is tried again on its own; doubles per failure, up to <paramref name="Interval"/>.</param>
/// <param name="MaxDataAgeIntervals">Data older than this many intervals makes the service unready.</param>
/// <param name="ServeIncompleteAfter">How long after start the first snapshot waits for every feed before it is served without the missing ones.</param>
/// <param name="IdentityShrinkThreshold">Share of the trusted identities that may go missing before an answer is doubted.</param>
/// <param name="IdentityRetention">How long a doubted answer is topped up with the trusted mappings.</param>
/// <param name="IdentityChurnThreshold">Share of the trusted identities that may map to other employees before an answer is doubted.</param>
public sealed record RefreshPolicy(
    TimeSpan Interval,
    TimeSpan RetryBackoff,
    int MaxDataAgeIntervals,
    TimeSpan ServeIncompleteAfter,
    double IdentityShrinkThreshold,
    TimeSpan IdentityRetention,
    double IdentityChurnThreshold = RefreshPolicy.DefaultIdentityChurnThreshold)
{
    public const double DefaultIdentityChurnThreshold = 0.2;

    public TimeSpan MaxDataAge => Interval * MaxDataAgeIntervals;

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: backoff × 2^(failures−1), at most the interval.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var delay = RetryBackoff * Math.Pow(2, doublings);
        return TimeSpan.FromTicks(Math.Min(delay.Ticks, Interval.Ticks));
    }
}
