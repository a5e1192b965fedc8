using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using IncidentService.Core;
using IncidentService.Core.Records;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

/// <summary>
/// Whatever the bytes, reading a record gives a record or a typed refusal, never an exception: a record is read by every
/// replica, so a decoder that content can make throw stops the whole cluster. Mutated records are sealed again after
/// the mutation, so that the fuzzing reaches the inside rather than stopping at the seal.
/// </summary>
public sealed class RecordFuzzTests
{
    private static readonly byte[] KeyBytes = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
    private static readonly RecordSeal Key = RecordSeal.WithKey(KeyBytes);
    private static readonly FeedDefinition[] Feeds = RefreshRecordCodecTests.Feeds;
    private static readonly byte[] Valid = RefreshRecordCodec.Write(RecordSealTests.Record(), Key);
    private static readonly int Header = "incident-service refresh-record 2 hmac-sha256\n"u8.Length;

    [Fact]
    public void Random_bytes_are_refused_with_a_kind_never_an_exception()
    {
        var random = new Random(20);
        for (var i = 0; i < 2000; i++)
        {
            var blob = new byte[random.Next(0, 512)];
            random.NextBytes(blob);
            var withHeader = i % 2 == 0 ? blob : [.. Valid[..Header], .. blob];

            Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(withHeader, Feeds, Key));
            Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(Resealed(withHeader), Feeds, Key));
        }
    }

    [Fact]
    public void Mutated_valid_records_sealed_again_are_read_or_refused_never_thrown()
    {
        var random = new Random(21);
        var inside = Valid[Header..^RecordSeal.Length];
        for (var i = 0; i < 3000; i++)
        {
            var mutated = inside.ToList();
            for (var m = random.Next(1, 4); m > 0 && mutated.Count > 0; m--)
            {
                var at = random.Next(mutated.Count);
                switch (random.Next(4))
                {
                    case 0: mutated[at] = (byte)random.Next(256); break;
                    case 1: mutated.RemoveRange(at, Math.Min(random.Next(1, 64), mutated.Count - at)); break;
                    case 2: mutated.InsertRange(at, Encoding.ASCII.GetBytes(Pick(random, ["9", "99999999999999999999", "-", "[", "{", "\"", "null", ",", "1e400"]))); break;
                    default: mutated[at] = (byte)Pick(random, "0123456789{}[]\",:-e."); break;
                }
            }

            var read = RefreshRecordCodec.Read(Resealed([.. Valid[..Header], .. mutated]), Feeds, Key);

            Assert.True(read is RecordRestored or RecordRejected);
        }
    }

    [Theory]
    [InlineData("employee key past long", "incidents", """{"99999999999999999999":[]}""")]
    [InlineData("employee key negative", "incidents", """{"-1":[]}""")]
    [InlineData("generation past long", "meta", """{"generation":99999999999999999999,"holder":"a","publishedAt":"2026-11-29T12:00:00+00:00"}""")]
    [InlineData("holder null", "meta", """{"generation":1,"holder":null,"publishedAt":"2026-11-29T12:00:00+00:00"}""")]
    [InlineData("counts past int", "ledger", """{"startedAt":"2026-11-29T12:00:00+00:00","feeds":["denial","probing"],"targets":{"identities":{"consecutiveFailures":99999999999999}}}""")]
    [InlineData("nesting", "ledger", "deep")]
    public void Crafted_insides_sealed_under_the_right_key_are_refused_as_unreadable(string what, string section, string content)
    {
        var body = content == "deep" ? Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000)) : Encoding.UTF8.GetBytes(content);
        var sections = Sections(Valid);
        sections[section] = body; // incidents: the employee index is built before the tag is compared

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(Resealed([.. Valid[..Header], .. Join(sections)]), Feeds, Key));

        Assert.True(rejected.Kind is RecordRejection.Unreadable or RecordRejection.Implausible, what);
    }

    [Fact]
    public void An_employee_key_past_long_is_refused_by_the_index_itself()
    {
        Assert.Throws<InvalidDataException>(() => SnapshotBuilder.IndexEmployees("""{"99999999999999999999":[]}"""u8.ToArray()));
    }

    [Theory]
    [InlineData("length past the end")]
    [InlineData("negative length")]
    [InlineData("twice")]
    public void Section_lengths_that_lie_are_refused(string lie)
    {
        var sections = Sections(Valid);
        byte[] inside = lie switch
        {
            "length past the end" => [4, .. "meta"u8, 0x7F, 0xFF, 0xFF, 0xFF, 1],
            "negative length" => [4, .. "meta"u8, 0x80, 0, 0, 0],
            _ => [.. Join(sections), .. Section("meta", sections["meta"])],
        };

        var rejected = Assert.IsType<RecordRejected>(RefreshRecordCodec.Read(Resealed([.. Valid[..Header], .. inside]), Feeds, Key));

        Assert.Equal(RecordRejection.Unreadable, rejected.Kind);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];

    private static char Pick(Random random, string choices) => choices[random.Next(choices.Length)];

    /// <summary>The blob with its last 32 bytes replaced by a valid signature over the rest (or appended, when shorter).</summary>
    private static byte[] Resealed(byte[] content) => [.. content, .. HMACSHA256.HashData(KeyBytes, content)];

    private static Dictionary<string, byte[]> Sections(byte[] blob)
    {
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var span = blob.AsSpan(Header, blob.Length - Header - RecordSeal.Length);
        while (!span.IsEmpty)
        {
            var name = Encoding.ASCII.GetString(span.Slice(1, span[0]));
            var length = BinaryPrimitives.ReadInt32BigEndian(span.Slice(1 + span[0], 4));
            sections[name] = span.Slice(1 + span[0] + 4, length).ToArray();
            span = span[(1 + span[0] + 4 + length)..];
        }

        return sections;
    }

    private static byte[] Join(Dictionary<string, byte[]> sections) => [.. sections.SelectMany(s => Section(s.Key, s.Value))];

    private static byte[] Section(string name, byte[] content)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, content.Length);
        return [(byte)name.Length, .. Encoding.ASCII.GetBytes(name), .. length, .. content];
    }
}
