using IncidentService.Simulator.Answering;

namespace IncidentService.Simulator.Faults;

/// <summary>Run-time fault switches per target (the seven feeds and <c>identities</c>). Thread-safe.</summary>
public sealed class SimulatorFaultBoard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimulatorFault> _faults = new(StringComparer.Ordinal);

    /// <summary>The target names: <c>denial, intrusion, executable, misuse, unauthorized, probing, other, identities</c>.</summary>
    public static IReadOnlyList<string> Targets => SimulatorTargets.All;

    /// <summary>Sets a target's fault (case-insensitive name); <see cref="SimulatorFault.None"/> clears it.</summary>
    /// <exception cref="ArgumentException">The target is not one of <see cref="Targets"/>.</exception>
    public void Set(string target, SimulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var name = SimulatorTargets.Normalize(target)
            ?? throw new ArgumentException($"Unknown simulator target '{target}'; expected one of {string.Join(", ", SimulatorTargets.All)}.", nameof(target));
        lock (_gate)
        {
            Put(name, fault);
        }
    }

    public void SetAll(SimulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            foreach (var target in SimulatorTargets.All)
            {
                Put(target, fault);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>The target's current fault; <see cref="SimulatorFault.None"/> for unknown targets.</summary>
    public SimulatorFault Get(string target)
    {
        var name = SimulatorTargets.Normalize(target);
        lock (_gate)
        {
            return name is not null && _faults.TryGetValue(name, out var fault) ? fault : SimulatorFault.None;
        }
    }

    private void Put(string name, SimulatorFault fault)
    {
        if (fault.Kind == SimulatorFaultKind.None)
        {
            _faults.Remove(name);
        }
        else
        {
            _faults[name] = fault;
        }
    }

    /// <summary>Every target with its current fault, in <see cref="Targets"/> order.</summary>
    public IReadOnlyList<KeyValuePair<string, SimulatorFault>> Snapshot()
    {
        lock (_gate)
        {
            return [.. SimulatorTargets.All.Select(t => KeyValuePair.Create(t, _faults.GetValueOrDefault(t) ?? SimulatorFault.None))];
        }
    }
}
