namespace IncidentService.Simulator.Answering;

/// <summary>The names a fault can target: the seven feeds (contract §2 order) and the identities endpoint.</summary>
internal static class SimulatorTargets
{
    public const string Identities = "identities";

    public static IReadOnlyList<string> Feeds { get; } =
        ["denial", "intrusion", "executable", "misuse", "unauthorized", "probing", "other"];

    public static IReadOnlyList<string> All { get; } = [.. Feeds, Identities];

    /// <summary>The canonical (lower-case) name, or null when <paramref name="name"/> is no target.</summary>
    public static string? Normalize(string? name) =>
        All.FirstOrDefault(target => string.Equals(target, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Index into <see cref="Feeds"/> for an exact (case-sensitive, as the upstream routes) feed name, or -1.</summary>
    public static int FeedIndex(string name)
    {
        for (var i = 0; i < Feeds.Count; i++)
        {
            if (string.Equals(Feeds[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
