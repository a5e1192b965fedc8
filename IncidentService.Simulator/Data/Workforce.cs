namespace IncidentService.Simulator.Data;

/// <summary>
/// The fixed people of the simulated company: employee ids, the IPs of their machines (the identities answer, in
/// a fixed order), and a pool of internal IPs that have no identity. Built once from the seed.
/// </summary>
internal sealed class Workforce
{
    private const int IdentityStream = -1;
    private readonly Dictionary<int, string[]> _ipsByEmployee;

    public Workforce(SimulatorOptions options)
    {
        var random = new DeterministicRandom(options.Seed, IdentityStream);
        EmployeeIds = DrawDistinct(options.Employees, () => random.Next(1000, 1_000_000));

        var usedIps = new HashSet<string>(StringComparer.Ordinal);
        string NewInternalIp()
        {
            string ip;
            do
            {
                ip = $"17.{random.Next(0, 256)}.{random.Next(0, 256)}.{random.Next(1, 255)}";
            }
            while (!usedIps.Add(ip));
            return ip;
        }

        var pairs = new KeyValuePair<string, int>[options.Identities];
        for (var i = 0; i < pairs.Length; i++)
        {
            // The first IPs go one to each employee so that most employees are reachable by IP; the rest at random.
            var employee = i < EmployeeIds.Count ? EmployeeIds[i] : EmployeeIds[random.Next(0, EmployeeIds.Count)];
            pairs[i] = KeyValuePair.Create(NewInternalIp(), employee);
        }

        Pairs = pairs;
        var unknownCount = options.UnknownIpShare > 0 ? Math.Max(16, (int)Math.Ceiling(options.Identities * options.UnknownIpShare)) : 0;
        UnknownIps = [.. Enumerable.Range(0, unknownCount).Select(_ => NewInternalIp())];
        _ipsByEmployee = pairs.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToArray());
        EmployeesWithIps = [.. EmployeeIds.Where(_ipsByEmployee.ContainsKey)];
    }

    public IReadOnlyList<int> EmployeeIds { get; }

    /// <summary>IP → employee id, in the order served.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Pairs { get; }

    /// <summary>Internal-looking IPs (17.0.0.0/8, like the identities) that are deliberately not in <see cref="Pairs"/>.</summary>
    public IReadOnlyList<string> UnknownIps { get; }

    /// <summary>Employees that own at least one IP (empty only when there are no identities).</summary>
    public IReadOnlyList<int> EmployeesWithIps { get; }

    /// <summary>One of the employee's IPs chosen by <paramref name="hash"/>, or null when the employee has none.</summary>
    public string? IpOf(int employeeId, ulong hash) =>
        _ipsByEmployee.TryGetValue(employeeId, out var ips) ? ips[StableHash.Below(hash, ips.Length)] : null;

    private static int[] DrawDistinct(int count, Func<int> draw)
    {
        var seen = new HashSet<int>();
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            int value;
            do
            {
                value = draw();
            }
            while (!seen.Add(value));
            result[i] = value;
        }

        return result;
    }
}
