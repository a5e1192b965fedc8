using System.ComponentModel.DataAnnotations;
using IncidentService.Simulator.Faults;

namespace IncidentService.Simulator;

/// <summary>
/// The <c>Simulator</c> configuration section. Data-shaping values (seed, volumes, window) are read once at start;
/// latency values are read on every request, so a test may retune them while the simulator runs.
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Everything the simulator serves is derived from this, so equal seeds give byte-identical answers.</summary>
    public int Seed { get; set; } = 2021;

    /// <summary>Incidents alive inside any <see cref="Window"/>-long span, per feed (approximately).</summary>
    public int IncidentsPerFeed { get; set; } = 300;

    /// <summary>A request at time <c>now</c> returns the incidents with <c>now - Window &lt; timestamp &lt;= now</c>.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>IP → employee id pairs served by <c>/identities/</c>.</summary>
    public int Identities { get; set; } = 5000;

    /// <summary>Distinct employee ids; several IPs may map to one employee.</summary>
    public int Employees { get; set; } = 1500;

    /// <summary>Share of the internal IPs used in incidents that have no identity.</summary>
    public double UnknownIpShare { get; set; } = 0.02;

    /// <summary>Multiplies every delay; 0 means no delay at all (tests). Also scales <see cref="SimulatorFaultKind.Slow"/>.</summary>
    public double LatencyScale { get; set; } = 1.0;

    public TimeSpan IncidentsLatency { get; set; } = TimeSpan.FromSeconds(1.5);

    public TimeSpan IdentitiesLatency { get; set; } = TimeSpan.FromSeconds(0.3);

    /// <summary>Each other request in flight when a request starts adds this share of the base latency (contract §2: 7 at once took ~3x).</summary>
    public double ContentionPerRequest { get; set; } = 0.3;

    public string Username { get; set; } = "elevate";

    public string Password { get; set; } = "simulator";

    /// <summary>Target → fault at startup; config form <c>Simulator:Faults:probing=ServerError</c> or <c>=Slow:3</c>.</summary>
#pragma warning disable CA2227 // Settable so the configuration binder and object initialisers can replace it.
    public Dictionary<string, SimulatorFault> Faults { get; set; } = new(StringComparer.OrdinalIgnoreCase);
#pragma warning restore CA2227
}
