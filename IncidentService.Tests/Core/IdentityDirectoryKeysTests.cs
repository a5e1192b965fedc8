using System.Collections.Immutable;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

/// <summary>Printed IPv4 addresses are kept as numbers, other addresses as text: both resolve and list alike.</summary>
public sealed class IdentityDirectoryKeysTests
{
    [Fact]
    public void Addresses_of_every_form_resolve_and_are_listed_as_their_normal_text()
    {
        var directory = IdentityDirectory.Parse(
            """{"17.0.0.1": 1, "\u0031\u0037.0.0.2": 2, "2001:DB8::1": 3, "010.0.0.9": 4, "::ffff:1.2.3.4": 5}"""u8.ToArray());

        Assert.Equal(5, directory.Count);
        Assert.Equal(
            [("17.0.0.1", 1L), ("17.0.0.2", 2L), ("2001:db8::1", 3L), ("8.0.0.9", 4L), ("::ffff:1.2.3.4", 5L)],
            directory.Entries.Select(e => (e.Key, e.Value)).OrderBy(e => e.Value));
        Assert.True(directory.TryResolve("17.0.0.2", out var second));
        Assert.Equal(2, second);
        Assert.True(directory.TryResolve("2001:db8::1", out var third));
        Assert.Equal(3, third);
        Assert.False(directory.TryResolve("17.0.0.3", out _));
        Assert.False(directory.TryResolve("2001:db8::2", out _));
    }

    [Fact]
    public void An_address_named_for_two_employees_is_dropped_whatever_its_form()
    {
        var directory = IdentityDirectory.Parse(
            """{"17.0.0.1": 1, "17.0.0.1": 2, "17.0.0.1": 3, "::1": 1, "::1": 2, "17.0.0.2": 7, "17.0.0.2": 7, "::2": 8, "::2": 8}"""u8.ToArray());

        Assert.Equal(2, directory.Count);
        Assert.Equal(
            ImmutableSortedDictionary<string, int>.Empty
                .Add(MalformedReason.IdentityEntryConflicting, 5)
                .Add(MalformedReason.IdentityEntryDuplicate, 2),
            directory.Skipped);
    }

    [Fact]
    public void Conflicts_among_other_addresses_alone_are_counted()
    {
        var directory = IdentityDirectory.Parse("""{"17.0.0.1": 1, "::1": 1, "::1": 2}"""u8.ToArray());

        Assert.Equal(1, directory.Count);
        Assert.Equal(ImmutableSortedDictionary<string, int>.Empty.Add(MalformedReason.IdentityEntryConflicting, 2), directory.Skipped);
    }

    [Fact]
    public void Directories_with_the_same_entries_are_the_same_inputs_and_any_difference_is_not()
    {
        var sources = (IdentityDirectory identities) => new SnapshotSources([], identities, DateTimeOffset.UnixEpoch, []);
        var entries = new Dictionary<string, long> { ["17.0.0.1"] = 1, ["::1"] = 2 };

        Assert.True(SnapshotInputs.Same(sources(new IdentityDirectory(entries)), sources(new IdentityDirectory(entries.Reverse().ToDictionary()))));
        Assert.False(SnapshotInputs.Same(sources(new IdentityDirectory(entries)), sources(new IdentityDirectory(new Dictionary<string, long> { ["17.0.0.1"] = 1, ["::1"] = 3 }))));
        Assert.False(SnapshotInputs.Same(sources(new IdentityDirectory(entries)), sources(new IdentityDirectory(new Dictionary<string, long> { ["17.0.0.1"] = 2, ["::1"] = 2 }))));
        Assert.False(SnapshotInputs.Same(sources(new IdentityDirectory(entries)), sources(new IdentityDirectory(new Dictionary<string, long> { ["17.0.0.1"] = 1 }))));
        Assert.False(SnapshotInputs.Same(sources(new IdentityDirectory(entries)), sources(new IdentityDirectory(new Dictionary<string, long> { ["17.0.0.1"] = 1, ["::2"] = 2 }))));
        Assert.False(SnapshotInputs.Same(sources(new IdentityDirectory(entries)), sources(new IdentityDirectory(new Dictionary<string, long> { ["17.0.0.3"] = 1, ["::1"] = 2 }))));
    }
}
