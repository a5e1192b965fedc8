namespace IncidentService.Core.Parsing;

/// <summary>
/// An incident's identity as <see cref="FeedIncidents"/> keeps it: a kind and one number, so that no incident holds a
/// string. What the number is depends on the kind.
/// </summary>
internal enum StoredIdentity : byte
{
    Missing,
    Malformed,

    /// <summary>The number is the employee id.</summary>
    Employee,

    /// <summary>The number is a printed IPv4 address (<see cref="PrintedIPv4"/>).</summary>
    IPv4,

    /// <summary>Any other address (IPv6): the number is its position in the batch's table of such addresses.</summary>
    IpText,
}
