using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

/// <summary>
/// A batch keeps its incidents in columns and blocks: every incident reads back as it was received, wherever it falls
/// (first block, later blocks, either side of an item too large for a shared chunk).
/// </summary>
public sealed class FeedIncidentsTests
{
    private static readonly FeedDefinition Probing = new("probing", "ip");
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_incident_of_a_large_answer_reads_back_as_received()
    {
        const int count = 10_000;
        var large = new string('x', 40_000);
        var items = Enumerable.Range(0, count).Select(i => Item(i, i == 5_000 ? large : null));
        var batch = FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes($$"""{"results":[{{string.Join(",", items)}}]}"""));

        Assert.Equal(count, batch.Incidents.Count);
        for (var i = 0; i < count; i++)
        {
            var incident = batch.Incidents[i];
            Assert.Equal(Expected(i), (incident.Priority, incident.Timestamp, incident.Identity));
            Assert.Equal(i % 7 == 0 ? "\"High\"" : "\"low\"", incident.Fields[0].RawJson);
            Assert.Equal(i == 5_000 ? $"\"{large}\"" : $"\"{i}\"", incident.Fields[3].RawJson);
        }

        var snapshot = SnapshotBuilder.Build(new SnapshotSources([batch], IdentityDirectory.Empty, Now, ImmutableArray<string>.Empty), Now);
        Assert.Equal(count, snapshot.Counts.Unresolved);
        Assert.Contains($$"""{"type":"probing","priority":"low","ip":"0.0.19.136","timestamp":5000.5,"n":"{{large}}"}""", Encoding.UTF8.GetString(snapshot.UnresolvedJson), StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_of_a_full_first_block_are_compared_up_to_their_last_incident()
    {
        var answer = Encoding.UTF8.GetBytes($$"""{"results":[{{string.Join(",", Enumerable.Range(0, 64).Select(i => Item(i, null)))}}]}""");
        var changed = Encoding.UTF8.GetBytes($$"""{"results":[{{string.Join(",", Enumerable.Range(0, 64).Select(i => Item(i, i == 63 ? "changed" : null)))}}]}""");
        var sources = (byte[] body) => new SnapshotSources([FeedBatch.Parse(Probing, body)], IdentityDirectory.Empty, Now, ImmutableArray<string>.Empty);

        Assert.True(SnapshotInputs.Same(sources(answer), sources(answer)));
        Assert.False(SnapshotInputs.Same(sources(answer), sources(changed)));
    }

    [Fact]
    public void Reading_an_incident_out_of_range_fails()
    {
        var batch = FeedBatch.Parse(Probing, """{"results":[{"priority":"low","ip":"1.2.3.4","timestamp":1}]}"""u8.ToArray());

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Incidents[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Incidents[-1]);
    }

    [Fact]
    public void Repeated_addresses_that_are_no_printed_ipv4_are_kept_each_for_its_own_item()
    {
        var batch = FeedBatch.Parse(Probing, """
            {"results":[{"priority":"low","ip":"::2","timestamp":2},{"priority":"low","ip":"::1","timestamp":3},{"priority":"low","ip":"::2","timestamp":4}]}
            """u8.ToArray());

        Assert.Equal(["::2", "::1", "::2"], batch.Incidents.Select(i => i.Identity.Ip));
    }

    [Fact]
    public void Identities_of_every_form_are_kept_and_attributed()
    {
        var batch = FeedBatch.Parse(Probing, """
            {"results":[
              {"priority":"low","ip":"17.0.0.1","timestamp":1},
              {"priority":"low","ip":"2001:DB8::1","timestamp":2},
              {"priority":"low","ip":"0042","timestamp":3},
              {"priority":"low","ip":"99999999999999999999","timestamp":4},
              {"priority":"low","ip":"\u0031\u0037.0.0.2","timestamp":5},
              {"priority":"low","ip":"010.0.0.9","timestamp":6},
              {"priority":"low","ip":"2001:db8::1","timestamp":7},
              {"priority":"low","ip":"17.0.0.3","timestamp":8},
              {"priority":"low","ip":null,"timestamp":9}
            ]}
            """u8.ToArray());
        var identities = new IdentityDirectory(new Dictionary<string, long> { ["17.0.0.1"] = 1, ["2001:db8::1"] = 2, ["17.0.0.2"] = 3, ["8.0.0.9"] = 4 });

        Assert.Equal(
            [
                new(IdentityKind.Ip, 0, "17.0.0.1"), new(IdentityKind.Ip, 0, "2001:db8::1"), IdentityReference.Employee(42), IdentityReference.Malformed,
                new(IdentityKind.Ip, 0, "17.0.0.2"), new(IdentityKind.Ip, 0, "8.0.0.9"), new(IdentityKind.Ip, 0, "2001:db8::1"), new(IdentityKind.Ip, 0, "17.0.0.3"),
                IdentityReference.Missing,
            ],
            batch.Incidents.Select(i => i.Identity));
        var snapshot = SnapshotBuilder.Build(new SnapshotSources([batch], identities, Now, ImmutableArray<string>.Empty), Now);
        var served = Encoding.UTF8.GetString(snapshot.Json);
        Assert.Equal([1L, 2L, 3L, 4L, 42L], snapshot.Employees.Keys.Order());
        Assert.Contains("\"2\":{\"low\":{\"count\":2,", served, StringComparison.Ordinal);
        Assert.Equal(
            [UnresolvedReason.IdentityMalformed, UnresolvedReason.IpNotInIdentities, UnresolvedReason.IdentityMissing],
            System.Text.Json.JsonDocument.Parse(snapshot.UnresolvedJson).RootElement.GetProperty("incidents").EnumerateArray().Select(e => e.GetProperty("reason").GetString()));
    }

    private static string Item(int i, string? note) =>
        $$"""{"priority":"{{(i % 7 == 0 ? "High" : "low")}}","ip":"{{Address(i)}}","timestamp":{{i}}.5,"n":"{{note ?? i.ToString(CultureInfo.InvariantCulture)}}"}""";

    private static string Address(int i) => $"0.0.{i / 256}.{i % 256}";

    private static (Priority, decimal, IdentityReference) Expected(int i) =>
        (i % 7 == 0 ? Priority.High : Priority.Low, i + 0.5m, new IdentityReference(IdentityKind.Ip, 0, Address(i)));
}
