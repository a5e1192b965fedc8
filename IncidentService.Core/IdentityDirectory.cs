using System.Collections.Frozen;
using System.Text.Json;

namespace IncidentService.Core;

/// <summary>The identities answer: which employee uses which IP address. Keys are normalized addresses.</summary>
public sealed class IdentityDirectory
{
    private readonly FrozenDictionary<string, long> _employeeByIp;

    public IdentityDirectory(IReadOnlyDictionary<string, long> employeeByIp, int skippedEntries = 0)
    {
        _employeeByIp = employeeByIp.ToFrozenDictionary(StringComparer.Ordinal);
        SkippedEntries = skippedEntries;
    }

    public static IdentityDirectory Empty { get; } = new(new Dictionary<string, long>());

    public int Count => _employeeByIp.Count;

    /// <summary>Entries of the answer that were not an IP address mapped to an employee id.</summary>
    public int SkippedEntries { get; }

    public IReadOnlyDictionary<string, long> Entries => _employeeByIp;

    public bool TryResolve(string normalizedIp, out long employeeId) => _employeeByIp.TryGetValue(normalizedIp, out employeeId);

    /// <summary>Reads <c>{"17.33.119.155": 386255, ...}</c>; entries that are not IP → employee id are skipped and counted.</summary>
    public static IdentityDirectory Parse(ReadOnlyMemory<byte> json)
    {
        using var document = FeedBatch.ParseDocument(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FeedFormatException("The identities answer is not a JSON object.");
        }

        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var employee = IdentityReference.From(entry.Value);
            if (employee.Kind == IdentityKind.Employee && IdentityReference.TryNormalizeIp(entry.Name, out var ip))
            {
                map[ip] = employee.EmployeeId;
            }
            else
            {
                skipped++;
            }
        }

        return new IdentityDirectory(map, skipped);
    }
}
