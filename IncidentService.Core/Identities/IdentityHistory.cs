namespace IncidentService.Core.Identities;

/// <summary>
/// Guards against an identities answer that cannot be believed at once: one that suddenly lost most of its entries
/// (seen under load in 2021), or one that suddenly maps many trusted addresses to other employees (an answer mixing up
/// its attribution would move incidents between people every cycle). For a bounded time, the trusted mappings stand
/// in: for missing addresses always, and for moved ones when too many moved. Otherwise entries in the new answer win,
/// so an IP that resolves again, or a few that move, resolve at once.
/// </summary>
public sealed record IdentityHistory(IdentityDirectory Trusted, DateTimeOffset TrustedAt)
{
    /// <param name="fresh">The answer just received.</param>
    /// <param name="now">When it was received.</param>
    /// <param name="shrinkThreshold">Share of the trusted entries that may go missing before the answer is doubted (0.5: half).</param>
    /// <param name="churnThreshold">Share of the trusted entries that may map to another employee before the answer is doubted (0.2: a fifth).</param>
    /// <param name="retention">How long the trusted mappings stand in for missing or moved ones.</param>
    public IdentityVerdict Accept(IdentityDirectory fresh, DateTimeOffset now, double shrinkThreshold, double churnThreshold, TimeSpan retention)
    {
        var moved = Trusted.CountMoved(fresh);
        var shrunk = fresh.Count < Trusted.Count * (1 - shrinkThreshold);
        var churned = moved > Trusted.Count * churnThreshold;
        if (!(shrunk || churned) || now - TrustedAt > retention)
        {
            // A normal answer, or a doubted one that has lasted past the retention: it becomes the truth.
            return new IdentityVerdict(new IdentityHistory(fresh, now), fresh, Retained: 0, RetainedUntil: null, moved);
        }

        // The mappings laid over the others win: the trusted ones when too many moved, else the fresh ones.
        var (under, over) = churned ? (fresh, Trusted) : (Trusted, fresh);
        var merged = new Dictionary<string, long>(under.Entries, StringComparer.Ordinal);
        foreach (var (ip, employee) in over.Entries)
        {
            merged[ip] = employee;
        }

        var retained = merged.Count - fresh.Count + (churned ? moved : 0);
        return new IdentityVerdict(this, new IdentityDirectory(merged, fresh.Skipped), retained, TrustedAt + retention, moved, shrunk, churned);
    }

    public static IdentityVerdict First(IdentityDirectory fresh, DateTimeOffset now) =>
        new(new IdentityHistory(fresh, now), fresh, Retained: 0, RetainedUntil: null);
}

/// <summary>What to serve after an identities answer, and whether it was doubted.</summary>
/// <param name="History">The history to keep for the next answer.</param>
/// <param name="Effective">The mappings to attribute incidents with.</param>
/// <param name="Retained">Mappings kept from the trusted answer because the new one lacked them or, churned, moved them.</param>
/// <param name="RetainedUntil">When those kept mappings expire; null when the answer was trusted.</param>
/// <param name="Moved">Trusted addresses the new answer maps to another employee.</param>
/// <param name="Shrunk">Doubted because it lost more than the shrink share of the trusted entries.</param>
/// <param name="Churned">Doubted because it moved more than the churn share of the trusted entries.</param>
public sealed record IdentityVerdict(
    IdentityHistory History,
    IdentityDirectory Effective,
    int Retained,
    DateTimeOffset? RetainedUntil,
    int Moved = 0,
    bool Shrunk = false,
    bool Churned = false)
{
    public bool Doubted => RetainedUntil is not null;

    /// <summary>Why the answer was doubted, in a fixed order; empty when it was trusted.</summary>
    public IReadOnlyList<IdentityDoubt> Doubts => (Shrunk, Churned) switch
    {
        (true, true) => [IdentityDoubt.Shrunk, IdentityDoubt.Churned],
        (true, false) => [IdentityDoubt.Shrunk],
        (false, true) => [IdentityDoubt.Churned],
        _ => [],
    };
}
