using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IncidentService.Core.Querying;
using IncidentService.Core.Snapshots;

namespace IncidentService.Api.Web.Serving;

/// <summary>
/// Every entity tag the service sends, built here and nowhere else. All derive from the snapshot's own strong tag
/// (<see cref="IncidentSnapshot.ETag"/>, a hash of what it serves), so they change with the content and every replica
/// serving the same content gives the same tags: <c>"h"</c> for the whole document, <c>"h-part"</c> for one part of it
/// (an employee, the unresolved list, a view with a filter), and <c>"…-gzip"</c>, <c>"…-br"</c> for its compressed
/// bodies.
/// </summary>
public static class EntityTag
{
    /// <summary>The tag of the whole <c>/incidents</c> document.</summary>
    public static string Whole(IncidentSnapshot snapshot) => snapshot.ETag;

    /// <summary>The tag of one part of the snapshot, such as one employee's slice.</summary>
    public static string Part(IncidentSnapshot snapshot, string part) => $"{snapshot.ETag[..^1]}-{part}\"";

    public static string Employee(IncidentSnapshot snapshot, long employeeId) =>
        Part(snapshot, employeeId.ToString(CultureInfo.InvariantCulture));

    public static string Unresolved(IncidentSnapshot snapshot) => Part(snapshot, "unresolved");

    /// <summary>A view under a filter: it differs between filters, whatever their spelling.</summary>
    public static string View(IncidentSnapshot snapshot, FilteredView view, IncidentFilter filter) =>
        filter.IsEverything
            ? Part(snapshot, FilteredViews.Label(view))
            : Part(snapshot, $"{FilteredViews.Label(view)}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(filter.Key)).AsSpan(0, 8))}");

    /// <summary>The identity tag with the coding appended: <c>"abc"</c> → <c>"abc-br"</c>.</summary>
    public static string Coded(string identityTag, ContentCoding coding) =>
        coding == ContentCoding.Identity ? identityTag : $"{identityTag[..^1]}-{ContentCodings.Token(coding)}\"";
}
