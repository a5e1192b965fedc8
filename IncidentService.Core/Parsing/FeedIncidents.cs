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
    // An address's number is the printed IPv4 address itself below this, and from it on the position in the batch's
    // table of other addresses (IPv6): one kind and one number per incident, and no string.
    private const long IpTextBase = 1L << 32;

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

    internal IdentityKind IdentityKindOf(int row) => (IdentityKind)_identityKinds[row];

    /// <summary>The number of the identity: an employee id, or for an address <see cref="IsPrintedIPv4"/> and <see cref="IpText"/> read it.</summary>
    internal long IdentityValue(int row) => _identityValues[row];

    /// <summary>Whether an address's number is a printed IPv4 address (<see cref="PrintedIPv4"/>) rather than a position in the table of others.</summary>
    internal static bool IsPrintedIPv4(long value) => value < IpTextBase;

    internal string IpText(long value) => _ipTexts[(int)(value - IpTextBase)];

    internal IdentityReference Identity(int row) => IdentityKindOf(row) switch
    {
        IdentityKind.Employee => IdentityReference.Employee(IdentityValue(row)),
        IdentityKind.Ip when IsPrintedIPv4(IdentityValue(row)) => new(IdentityKind.Ip, 0, PrintedIPv4.Print((uint)IdentityValue(row))),
        IdentityKind.Ip => new(IdentityKind.Ip, 0, IpText(IdentityValue(row))),
        IdentityKind.Missing => IdentityReference.Missing,
        _ => IdentityReference.Malformed,
    };

    internal byte[]? PriorityAsReceived(int row)
    {
        var at = _receivedRows.BinarySearch(row);
        return at >= 0 ? _receivedTexts[at] : null;
    }

    internal void Add(ReadOnlySpan<byte> json, Priority priority, decimal timestamp, IdentityKind identity, long identityValue, byte[]? priorityAsReceived)
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

    /// <summary>Adds an address to the batch's table of addresses that are no printed IPv4; returns the number that stands for it.</summary>
    internal long AddIpText(string ip)
    {
        _ipTexts.Add(ip);
        return IpTextBase + _ipTexts.Count - 1;
    }
}
