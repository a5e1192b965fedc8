using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;

namespace IncidentService.Core;

/// <summary>The identities answer: which employee uses which IP address. Keys are normalized addresses.</summary>
public sealed class IdentityDirectory
{
    private readonly FrozenDictionary<string, long> _employeeByIp;

    public IdentityDirectory(IReadOnlyDictionary<string, long> employeeByIp, ImmutableSortedDictionary<string, int>? skipped = null)
    {
        _employeeByIp = employeeByIp.ToFrozenDictionary(StringComparer.Ordinal);
        Skipped = skipped ?? ImmutableSortedDictionary<string, int>.Empty;
    }

    public static IdentityDirectory Empty { get; } = new(new Dictionary<string, long>());

    public int Count => _employeeByIp.Count;

    /// <summary>Entries of the answer that were not used, by reason (<see cref="MalformedReason"/>).</summary>
    public ImmutableSortedDictionary<string, int> Skipped { get; }

    public int SkippedEntries => Skipped.Values.Sum();

    public IReadOnlyDictionary<string, long> Entries => _employeeByIp;

    public bool TryResolve(string normalizedIp, out long employeeId) => _employeeByIp.TryGetValue(normalizedIp, out employeeId);

    /// <summary>
    /// Reads <c>{"17.33.119.155": 386255, ...}</c>. An entry that is not IP → employee id (or not text at all) is skipped
    /// and counted; an IP named twice for different employees is trusted for neither, as either could be wrong.
    /// </summary>
    public static IdentityDirectory Parse(ReadOnlyMemory<byte> json)
    {
        using var document = FeedBatch.ParseDocument(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FeedFormatException("The identities answer is not a JSON object.");
        }

        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        var conflicting = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (!TryRead(entry, out var ip, out var employeeId))
            {
                Skip(MalformedReason.IdentityEntryInvalid);
            }
            else if (conflicting.TryGetValue(ip, out var seen))
            {
                conflicting[ip] = seen + 1;
            }
            else if (!map.TryGetValue(ip, out var earlier))
            {
                map[ip] = employeeId;
            }
            else if (earlier == employeeId)
            {
                Skip(MalformedReason.IdentityEntryDuplicate);
            }
            else
            {
                map.Remove(ip);
                conflicting[ip] = 2;
            }
        }

        if (conflicting.Count > 0)
        {
            skipped[MalformedReason.IdentityEntryConflicting] = conflicting.Values.Sum();
        }

        return new IdentityDirectory(map, skipped.ToImmutable());

        void Skip(string reason) => skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
    }

    private static bool TryRead(JsonProperty entry, out string ip, out long employeeId)
    {
        ip = "";
        employeeId = 0;
        try
        {
            var employee = IdentityReference.From(entry.Value);
            employeeId = employee.EmployeeId;
            return employee.Kind == IdentityKind.Employee && IdentityReference.TryNormalizeIp(entry.Name, out ip);
        }
        catch (InvalidOperationException)
        {
            return false; // a name or value that is not text (lone surrogate, bytes that are not UTF-8)
        }
    }
}
