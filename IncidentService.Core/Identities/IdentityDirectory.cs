using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using IncidentService.Core.Parsing;

namespace IncidentService.Core.Identities;

/// <summary>
/// The identities answer: which employee uses which IP address. Keys are normalized addresses; a printed IPv4 address
/// (almost all of them) is kept as its number (<see cref="PrintedIPv4"/>), which is also how incidents keep theirs.
/// </summary>
public sealed class IdentityDirectory
{
    // Filled once when the directory is made and never changed after: a plain dictionary, sized up front, costs less
    // to make than a frozen one, which would be built from it.
    private readonly Dictionary<uint, long> _employeeByIPv4;
    private readonly FrozenDictionary<string, long> _employeeByOtherIp;

    public IdentityDirectory(IReadOnlyDictionary<string, long> employeeByIp, ImmutableSortedDictionary<string, int>? skipped = null)
    {
        _employeeByIPv4 = new Dictionary<uint, long>(employeeByIp.Count);
        var others = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (ip, employeeId) in employeeByIp)
        {
            if (PrintedIPv4.TryRead(ip, out var address))
            {
                _employeeByIPv4[address] = employeeId;
            }
            else
            {
                others[ip] = employeeId;
            }
        }

        _employeeByOtherIp = others.ToFrozenDictionary(StringComparer.Ordinal);
        Skipped = skipped ?? ImmutableSortedDictionary<string, int>.Empty;
    }

    private IdentityDirectory(Dictionary<uint, long> employeeByIPv4, Dictionary<string, long> employeeByOtherIp, ImmutableSortedDictionary<string, int> skipped)
    {
        _employeeByIPv4 = employeeByIPv4;
        _employeeByOtherIp = employeeByOtherIp.ToFrozenDictionary(StringComparer.Ordinal);
        Skipped = skipped;
    }

    public static IdentityDirectory Empty { get; } = new(new Dictionary<string, long>());

    public int Count => _employeeByIPv4.Count + _employeeByOtherIp.Count;

    /// <summary>Entries of the answer that were not used, by reason (<see cref="MalformedReason"/>).</summary>
    public ImmutableSortedDictionary<string, int> Skipped { get; }

    public int SkippedEntries => Skipped.Values.Sum();

    /// <summary>Every address with its employee, the addresses printed (allocates: for storage and inspection, not the build).</summary>
    public IEnumerable<KeyValuePair<string, long>> Entries =>
        _employeeByIPv4.Select(e => KeyValuePair.Create(PrintedIPv4.Print(e.Key), e.Value)).Concat(_employeeByOtherIp);

    public bool TryResolve(string normalizedIp, out long employeeId) =>
        PrintedIPv4.TryRead(normalizedIp, out var address)
            ? _employeeByIPv4.TryGetValue(address, out employeeId)
            : _employeeByOtherIp.TryGetValue(normalizedIp, out employeeId);

    internal bool TryResolve(uint printedIPv4, out long employeeId) => _employeeByIPv4.TryGetValue(printedIPv4, out employeeId);

    /// <summary>How many of these addresses <paramref name="other"/> maps to another employee (those it lacks are not counted).</summary>
    internal int CountMoved(IdentityDirectory other) =>
        _employeeByIPv4.Count(entry => other._employeeByIPv4.TryGetValue(entry.Key, out var employee) && employee != entry.Value)
        + _employeeByOtherIp.Count(entry => other._employeeByOtherIp.TryGetValue(entry.Key, out var employee) && employee != entry.Value);

    /// <summary>Whether both map the same addresses to the same employees (what was skipped aside).</summary>
    internal bool HasSameEntries(IdentityDirectory other) =>
        _employeeByIPv4.Count == other._employeeByIPv4.Count
        && _employeeByOtherIp.Count == other._employeeByOtherIp.Count
        && _employeeByIPv4.All(entry => other._employeeByIPv4.TryGetValue(entry.Key, out var employee) && employee == entry.Value)
        && _employeeByOtherIp.All(entry => other._employeeByOtherIp.TryGetValue(entry.Key, out var employee) && employee == entry.Value);

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

        var ipv4 = new AnswerEntries<uint>(document.RootElement.GetPropertyCount());
        var others = new AnswerEntries<string>(0);
        var skipped = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var added = Read(entry, out var address, out var ip, out var employeeId) switch
            {
                EntryKey.PrintedIPv4 => ipv4.Add(address, employeeId),
                EntryKey.OtherIp => others.Add(ip, employeeId),
                _ => MalformedReason.IdentityEntryInvalid,
            };
            if (added is { } reason)
            {
                skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
            }
        }

        if (ipv4.Conflicting + others.Conflicting > 0)
        {
            skipped[MalformedReason.IdentityEntryConflicting] = ipv4.Conflicting + others.Conflicting;
        }

        return new IdentityDirectory(ipv4.Map, others.Map, skipped.ToImmutable());
    }

    /// <summary>
    /// An entry that is an address and an employee id: a printed IPv4 as its number (<paramref name="address"/>), any
    /// other address as its normal text (<paramref name="ip"/>).
    /// </summary>
    private static EntryKey Read(JsonProperty entry, out uint address, out string ip, out long employeeId)
    {
        (address, ip, employeeId) = (0, "", 0);
        try
        {
            var employee = IdentityReference.From(entry.Value);
            employeeId = employee.EmployeeId;
            if (employee.Kind != IdentityKind.Employee)
            {
                return EntryKey.Invalid;
            }

            // The name as received, when it is a printed address without escapes: no string is made for it.
            if (PrintedIPv4.TryRead(JsonMarshal.GetRawUtf8PropertyName(entry), out address))
            {
                return EntryKey.PrintedIPv4;
            }

            if (!IdentityReference.TryNormalizeIp(entry.Name, out var normalized))
            {
                return EntryKey.Invalid;
            }

            if (PrintedIPv4.TryRead(normalized, out address))
            {
                return EntryKey.PrintedIPv4;
            }

            ip = normalized;
            return EntryKey.OtherIp;
        }
        catch (InvalidOperationException)
        {
            return EntryKey.Invalid; // a name or value that is not text (lone surrogate, bytes that are not UTF-8)
        }
    }

    /// <summary>What an entry's name is, and so where it is kept.</summary>
    private enum EntryKey
    {
        Invalid,
        PrintedIPv4,
        OtherIp,
    }

    /// <summary>The entries read so far with one kind of key; an address named for two employees is kept in neither.</summary>
    private sealed class AnswerEntries<TKey>(int capacity)
        where TKey : notnull
    {
        private readonly Dictionary<TKey, int> _conflicting = [];

        public Dictionary<TKey, long> Map { get; } = new(capacity);

        public int Conflicting => _conflicting.Values.Sum();

        /// <summary>Null when the entry was taken (or counted as conflicting); else why it was skipped.</summary>
        public string? Add(TKey ip, long employeeId)
        {
            if (Map.TryGetValue(ip, out var earlier))
            {
                if (earlier == employeeId)
                {
                    return MalformedReason.IdentityEntryDuplicate;
                }

                Map.Remove(ip);
                _conflicting[ip] = 2;
            }
            else if (_conflicting.TryGetValue(ip, out var seen))
            {
                _conflicting[ip] = seen + 1;
            }
            else
            {
                Map[ip] = employeeId;
            }

            return null;
        }
    }
}
