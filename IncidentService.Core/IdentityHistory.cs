namespace IncidentService.Core;

/// <summary>
/// Guards against an identities answer that suddenly lost most of its entries (seen under load in 2021): for a
/// bounded time, IPs missing from such an answer keep the mapping of the last answer that was trusted. Entries in
/// the new answer always win, so an IP that resolves again resolves at once.
/// </summary>
public sealed record IdentityHistory(IdentityDirectory Trusted, DateTimeOffset TrustedAt)
{
    /// <param name="fresh">The answer just received.</param>
    /// <param name="now">When it was received.</param>
    /// <param name="shrinkThreshold">Share of the trusted entries that may go missing before the answer is doubted (0.5: half).</param>
    /// <param name="retention">How long the trusted mappings stand in for missing ones.</param>
    public IdentityVerdict Accept(IdentityDirectory fresh, DateTimeOffset now, double shrinkThreshold, TimeSpan retention)
    {
        var shrunk = fresh.Count < Trusted.Count * (1 - shrinkThreshold);
        if (!shrunk || now - TrustedAt > retention)
        {
            // A normal answer, or a small one that has lasted past the retention: it becomes the truth.
            return new IdentityVerdict(new IdentityHistory(fresh, now), fresh, Retained: 0, RetainedUntil: null);
        }

        var merged = new Dictionary<string, long>(Trusted.Entries, StringComparer.Ordinal);
        foreach (var (ip, employee) in fresh.Entries)
        {
            merged[ip] = employee;
        }

        return new IdentityVerdict(this, new IdentityDirectory(merged, fresh.Skipped), merged.Count - fresh.Count, TrustedAt + retention);
    }

    public static IdentityVerdict First(IdentityDirectory fresh, DateTimeOffset now) =>
        new(new IdentityHistory(fresh, now), fresh, Retained: 0, RetainedUntil: null);
}

/// <summary>What to serve after an identities answer, and whether it was doubted.</summary>
/// <param name="History">The history to keep for the next answer.</param>
/// <param name="Effective">The mappings to attribute incidents with.</param>
/// <param name="Retained">Mappings kept from the trusted answer because the new one lacked them.</param>
/// <param name="RetainedUntil">When those kept mappings expire; null when the answer was trusted.</param>
public sealed record IdentityVerdict(IdentityHistory History, IdentityDirectory Effective, int Retained, DateTimeOffset? RetainedUntil)
{
    public bool Doubted => RetainedUntil is not null;
}
