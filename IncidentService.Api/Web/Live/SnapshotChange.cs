using System.Collections.Immutable;

namespace IncidentService.Api.Web.Live;

/// <summary>
/// One installed snapshot whose content differs from the one before: its tag, freshness, completeness and the
/// employees whose answer changed (all of them, ascending; each stream cuts the list to its own limit and scope).
/// </summary>
internal sealed record SnapshotChange(
    long Sequence,
    string ETag,
    DateTimeOffset DataAsOf,
    bool Complete,
    ImmutableArray<string> MissingFeeds,
    long[] ChangedEmployees);
