using IncidentService.Simulator.Answering;

namespace IncidentService.Simulator;

/// <summary>Rejects options the simulator cannot honour, naming the configuration key (contract §5).</summary>
internal static class SimulatorOptionsValidation
{
    public static void ThrowIfInvalid(SimulatorOptions options)
    {
        var errors = new List<string>();
        void Require(bool ok, string key, string problem)
        {
            if (!ok)
            {
                errors.Add($"{SimulatorOptions.SectionName}:{key} {problem}");
            }
        }

        Require(options.IncidentsPerFeed is >= 0 and <= 1_000_000, nameof(options.IncidentsPerFeed), "must be between 0 and 1000000.");
        Require(options.Window > TimeSpan.Zero, nameof(options.Window), "must be positive.");
        Require(options.Identities is >= 1 and <= 1_000_000, nameof(options.Identities), "must be between 1 and 1000000.");
        Require(options.Employees is >= 1 and <= 100_000, nameof(options.Employees), "must be between 1 and 100000.");
        Require(options.UnknownIpShare is >= 0 and <= 1, nameof(options.UnknownIpShare), "must be between 0 and 1.");
        Require(options.LatencyScale >= 0 && double.IsFinite(options.LatencyScale), nameof(options.LatencyScale), "must be 0 or more.");
        Require(options.IncidentsLatency >= TimeSpan.Zero, nameof(options.IncidentsLatency), "must not be negative.");
        Require(options.IdentitiesLatency >= TimeSpan.Zero, nameof(options.IdentitiesLatency), "must not be negative.");
        Require(options.ContentionPerRequest >= 0 && double.IsFinite(options.ContentionPerRequest), nameof(options.ContentionPerRequest), "must be 0 or more.");
        Require(!string.IsNullOrEmpty(options.Username) && !options.Username.Contains(':', StringComparison.Ordinal), nameof(options.Username), "must be set and contain no ':'.");
        Require(!string.IsNullOrEmpty(options.Password), nameof(options.Password), "must be set.");
        foreach (var target in options.Faults?.Keys ?? Enumerable.Empty<string>())
        {
            Require(SimulatorTargets.Normalize(target) is not null, $"{nameof(options.Faults)}:{target}", $"is not a target; expected one of {string.Join(", ", SimulatorTargets.All)}.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid simulator options: " + string.Join(" ", errors), nameof(options));
        }
    }
}
