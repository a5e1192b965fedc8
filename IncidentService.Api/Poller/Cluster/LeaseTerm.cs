namespace IncidentService.Api.Poller.Cluster;

/// <summary>A replica's current term: the lease's token and, in monotonic timestamps, how long it is known to be valid.</summary>
internal sealed class LeaseTerm(long generation, string token)
{
    public long Generation { get; } = generation;

    public string Token { get; } = token;

    public CancellationTokenSource Lost { get; } = new();

    public long RenewedAt { get; set; }

    public long ValidUntil { get; set; }

    /// <summary>Before this, the previous poller's requests may still be at the upstream: the refresher is not told yet.</summary>
    public long QuietUntil { get; init; }

    public bool Announced { get; set; }

    public bool RenewFailed { get; set; }
}
