namespace IncidentService.Core;

/// <summary>
/// One thing the refresher fetches from the upstream: a feed, or the identities. Its <see cref="Name"/> is public — the
/// key of the ledger and of the stored record, the <c>feed</c> of status and metrics — and is the feed's own name, or
/// <c>identities</c>.
/// </summary>
public readonly record struct Target
{
    private Target(string name) => Name = name;

    /// <summary>The identities answer: which employee uses which IP address.</summary>
    public static Target Identities { get; } = new("identities");

    public string Name { get; }

    public bool IsIdentities => Name == Identities.Name;

    public static Target Feed(string name) => new(name);

    /// <summary>The target a public name stands for: <c>identities</c>, or else the feed of that name.</summary>
    public static Target Named(string name) => name == Identities.Name ? Identities : Feed(name);

    public override string ToString() => Name;
}
