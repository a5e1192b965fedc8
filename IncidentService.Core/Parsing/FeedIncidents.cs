using System.Collections;
using IncidentService.Core.Compact;

namespace IncidentService.Core.Parsing;

/// <summary>
/// The incidents of one feed's answer, kept in columns rather than one object each: per incident its served bytes
/// (<see cref="Incident.Json"/>) in the batch's arena and 34 bytes besides (where an <see cref="Incident"/> object with
/// its reference cost about 100). An <see cref="Incident"/> is made when one is read (inspection, the stored ledger,
/// tests); building a snapshot reads the columns. Filled by <see cref="FeedAnswerReader"/> and never changed after.
/// </summary>
public sealed class FeedIncidents : IReadOnlyList<Incident>
{
    private readonly string _feed;
    private readonly ByteArena _bytes = new();
    private readonly Column<int> _locations = new();
    private readonly Column<int> _lengths = new();
    private readonly Column<decimal> _timestamps = new();
    private readonly Column<byte> _priorities = new();
    private readonly Column<byte> _identityKinds = new();
    private readonly Column<long> _identityValues = new();
    private readonly List<string> _ipTexts = [];

    // The priority's text as received where it is not what is served ("High"): a few incidents, by position.
    private readonly List<int> _receivedRows = [];
    private readonly List<byte[]> _receivedTexts = [];

    internal FeedIncidents(string feed) => _feed = feed;

    internal string Feed => _feed;

    public int Count => _locations.Count;

    public Incident this[int index] => (uint)index < (uint)Count
        ? new Incident(_feed, Priority(index), Timestamp(index), Identity(index), Json(index), PriorityAsReceived(index))
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<Incident> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal ReadOnlyMemory<byte> Json(int row) => _bytes.Get(_locations[row], _lengths[row]);

    internal int JsonLength(int row) => _lengths[row];

    internal decimal Timestamp(int row) => _timestamps[row];

    internal Priority Priority(int row) => (Priority)_priorities[row];

    internal StoredIdentity IdentityKind(int row) => (StoredIdentity)_identityKinds[row];

    /// <summary>The number of the identity (<see cref="StoredIdentity"/> says what it is).</summary>
    internal long IdentityValue(int row) => _identityValues[row];

    internal string IpText(long value) => _ipTexts[(int)value];

    internal IdentityReference Identity(int row) => IdentityKind(row) switch
    {
        StoredIdentity.Employee => IdentityReference.Employee(IdentityValue(row)),
        StoredIdentity.IPv4 => new(Parsing.IdentityKind.Ip, 0, PrintedIPv4.Print((uint)IdentityValue(row))),
        StoredIdentity.IpText => new(Parsing.IdentityKind.Ip, 0, IpText(IdentityValue(row))),
        StoredIdentity.Missing => IdentityReference.Missing,
        _ => IdentityReference.Malformed,
    };

    internal byte[]? PriorityAsReceived(int row)
    {
        var at = _receivedRows.BinarySearch(row);
        return at >= 0 ? _receivedTexts[at] : null;
    }

    internal void Add(ReadOnlySpan<byte> json, Priority priority, decimal timestamp, StoredIdentity identity, long identityValue, byte[]? priorityAsReceived)
    {
        if (priorityAsReceived is not null)
        {
            _receivedRows.Add(Count);
            _receivedTexts.Add(priorityAsReceived);
        }

        _locations.Add(_bytes.Add(json));
        _lengths.Add(json.Length);
        _timestamps.Add(timestamp);
        _priorities.Add((byte)priority);
        _identityKinds.Add((byte)identity);
        _identityValues.Add(identityValue);
    }

    /// <summary>Adds an address to the batch's table of addresses that are no printed IPv4; its position is the stored number.</summary>
    internal long AddIpText(string ip)
    {
        _ipTexts.Add(ip);
        return _ipTexts.Count - 1;
    }
}
