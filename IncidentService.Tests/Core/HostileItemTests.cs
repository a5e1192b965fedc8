using System.Text;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;

namespace IncidentService.Tests.Core;

/// <summary>One item or identities entry an upstream (or an attacker behind it) poisoned never costs its neighbours.</summary>
public sealed class HostileItemTests
{
    private static readonly FeedDefinition Misuse = new("misuse", "employee_id");

    private const string Good1 = """{"priority":"low","employee_id":1,"timestamp":1}""";
    private const string Good2 = """{"priority":"high","employee_id":2,"timestamp":2}""";

    [Theory]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"n\ud800":1}""", MalformedReason.TextInvalid)]
    [InlineData("""{"priority":"\ud800low","employee_id":9,"timestamp":9}""", MalformedReason.TextInvalid)]
    [InlineData("""{"priority":"low","employee_id":"\udc00","timestamp":9}""", MalformedReason.TextInvalid)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"deep":[{"x":"\ud800"}]}""", MalformedReason.TextInvalid)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"type":"spoofed"}""", MalformedReason.TypeReserved)]
    [InlineData("""{"type":"intrusion","priority":"low","employee_id":9,"timestamp":9}""", MalformedReason.TypeReserved)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"employee_id":10}""", MalformedReason.FieldDuplicate)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"timest\u0061mp":10}""", MalformedReason.FieldDuplicate)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"x":{"a":1,"a":2}}""", MalformedReason.FieldDuplicate)]
    public void A_poisoned_item_is_skipped_with_its_reason_and_its_neighbours_are_kept(string poisoned, string reason)
    {
        var batch = FeedBatch.Parse(Misuse, Encoding.UTF8.GetBytes($$"""{"results":[{{Good1}},{{poisoned}},{{Good2}}]}"""));

        Assert.Equal([1L, 2L], batch.Incidents.Select(i => i.Identity.EmployeeId));
        Assert.Equal(new Dictionary<string, int> { [reason] = 1 }, batch.Malformed);
    }

    [Fact]
    public void An_item_with_invalid_utf8_is_skipped_and_its_neighbours_are_kept()
    {
        var body = Concat($$"""{"results":[{{Good1}},{"priority":"low","employee_id":9,"timestamp":9,"note":""", [(byte)'"', 0xC3, 0x28, (byte)'"'], $$"""},{{Good2}}]}""");

        var batch = FeedBatch.Parse(Misuse, body);

        Assert.Equal([1L, 2L], batch.Incidents.Select(i => i.Identity.EmployeeId));
        Assert.Equal(1, batch.Malformed[MalformedReason.TextInvalid]);
    }

    [Fact]
    public void A_text_problem_wins_over_the_priority_and_timestamp_problems_it_hides()
    {
        var batch = FeedBatch.Parse(Misuse, Encoding.UTF8.GetBytes("""{"results":[{"priority":"\ud800","employee_id":9}]}"""));

        Assert.Equal(new Dictionary<string, int> { [MalformedReason.TextInvalid] = 1 }, batch.Malformed);
    }

    [Fact]
    public void An_identities_entry_with_a_lone_surrogate_or_invalid_utf8_is_skipped_and_the_rest_are_kept()
    {
        var body = Concat("""{"17.0.0.1": 1, "17.0.0.\ud800": 2, "17.0.0.3": "\udc00", """, [(byte)'"', 0xFF, (byte)'"'], """: 4, "17.0.0.5": 5}""");

        var directory = IdentityDirectory.Parse(body);

        Assert.Equal(2, directory.Count);
        Assert.True(directory.TryResolve("17.0.0.1", out _));
        Assert.True(directory.TryResolve("17.0.0.5", out _));
        Assert.Equal(new Dictionary<string, int> { [MalformedReason.IdentityEntryInvalid] = 3 }, directory.Skipped);
    }

    [Fact]
    public void Text_is_checked_before_our_own_type_field()
    {
        var batch = FeedBatch.Parse(Misuse, Encoding.UTF8.GetBytes("""{"results":[{"type":"x","priority":"\ud800","employee_id":9,"timestamp":9}]}"""));

        Assert.Equal(new Dictionary<string, int> { [MalformedReason.TextInvalid] = 1 }, batch.Malformed);
    }

    [Fact]
    public void Every_entry_of_an_ip_named_for_several_employees_is_counted_and_every_reason_adds_up()
    {
        var directory = IdentityDirectory.Parse("""{"17.0.0.1": 1, "17.0.0.1": 2, "17.0.0.1": 3, "17.0.0.2": 4, "17.0.0.2": 5, "x": 6}"""u8.ToArray());

        Assert.Equal(0, directory.Count);
        Assert.Equal(
            new Dictionary<string, int> { [MalformedReason.IdentityEntryConflicting] = 5, [MalformedReason.IdentityEntryInvalid] = 1 },
            directory.Skipped);
        Assert.Equal(6, directory.SkippedEntries);
    }

    [Fact]
    public void An_ip_mapped_twice_to_different_employees_is_trusted_for_neither()
    {
        var directory = IdentityDirectory.Parse("""{"17.0.0.1": 1, "17.0.0.2": 2, "17.0.0.1": 3, "17.0.0.2": 2}"""u8.ToArray());

        Assert.False(directory.TryResolve("17.0.0.1", out _));
        Assert.True(directory.TryResolve("17.0.0.2", out var employee));
        Assert.Equal(2, employee);
        Assert.Equal(
            new Dictionary<string, int> { [MalformedReason.IdentityEntryConflicting] = 2, [MalformedReason.IdentityEntryDuplicate] = 1 },
            directory.Skipped);
    }

    private static byte[] Concat(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];
}
