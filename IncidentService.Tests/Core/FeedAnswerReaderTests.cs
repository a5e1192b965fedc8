using System.Collections.Immutable;
using System.Text;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Core;

/// <summary>
/// Reading answers token by token decides as reading a whole document did, and each incident is served as the
/// serializer writes it: values as received, names re-escaped, the priority lower-case.
/// </summary>
public sealed class FeedAnswerReaderTests
{
    private static readonly FeedDefinition Probing = new("probing", "ip");
    private static readonly FeedDefinition Misuse = new("misuse", "employee_id");
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Escaped_names_and_strings_are_kept_as_received_and_served_as_the_serializer_writes_them()
    {
        var batch = Parse(Probing, """{ "pri\u006frity" : "H\u0069gh" , "ip":"17.0.0.\u0031",	"timestamp": 1.50, "n\"q": "a\u0041", "note\u0001": [1, 2], "été": "x" }""");

        var incident = Assert.Single(batch.Incidents);
        Assert.Equal(
            [("priority", "\"H\\u0069gh\""), ("ip", "\"17.0.0.\\u0031\""), ("timestamp", "1.50"), ("n\"q", "\"a\\u0041\""), ("note\u0001", "[1, 2]"), ("été", "\"x\"")],
            incident.Fields.Select(f => (f.Name, f.RawJson)));
        Assert.Equal(Priority.High, incident.Priority);
        Assert.Equal("17.0.0.1", incident.Identity.Ip);
        Assert.Equal(
            """{"type":"probing","priority":"high","ip":"17.0.0.\u0031","timestamp":1.50,"n\"q":"a\u0041","note\u0001":[1, 2],"été":"x"}""",
            Served(batch, "17.0.0.1"));
    }

    [Theory]
    [InlineData("1e3", "1000")]
    [InlineData("1E+3", "1000")]
    [InlineData("-2.5e-1", "-0.25")]
    [InlineData("0.000000000000000000000000000001", "0.0000000000000000000000000000")]
    public void Timestamps_with_exponents_are_numbers_and_served_as_received(string timestamp, string value)
    {
        var batch = Parse(Misuse, $$"""{"priority":"low","employee_id":1,"timestamp":{{timestamp}}}""");

        Assert.Equal(value, Assert.Single(batch.Incidents).Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"\"timestamp\":{timestamp}}}", Served(batch, "-"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("79228162514264337593543950336")]
    public void A_number_beyond_a_decimal_is_not_a_timestamp(string timestamp)
    {
        var batch = Parse(Misuse, $$"""{"priority":"low","employee_id":1,"timestamp":{{timestamp}}}""");

        Assert.Equal(new Dictionary<string, int> { [MalformedReason.TimestampNotANumber] = 1 }, batch.Malformed);
    }

    [Theory]
    [InlineData("\"ＬＯＷ\"")]
    [InlineData("\"lów\"")]
    [InlineData("\"\"")]
    public void A_priority_that_is_no_priority_in_any_case_is_unknown(string priority)
    {
        var batch = Parse(Misuse, $$"""{"priority":{{priority}},"employee_id":1,"timestamp":1}""");

        Assert.Equal(new Dictionary<string, int> { [MalformedReason.PriorityUnknown] = 1 }, batch.Malformed);
    }

    [Fact]
    public void The_same_name_in_sibling_objects_or_array_items_is_no_repetition()
    {
        var batch = Parse(Misuse, """{"priority":"low","employee_id":1,"timestamp":1,"a":{"k":1,"j":{"k":2}},"b":{"k":3},"c":[{"k":1},{"k":1}]}""");

        Assert.Single(batch.Incidents);
    }

    [Fact]
    public void A_repeated_name_is_found_among_many_names()
    {
        var names = string.Concat(Enumerable.Range(0, 40).Select(i => $",\"f{i}\":{i}"));
        var longNames = string.Concat(Enumerable.Range(0, 12).Select(i => $",\"{new string('n', 80)}{i}\":{i}")) + $",\"{new string('m', 700)}\":0";
        var batch = Parse(Misuse, $$"""
            {"priority":"low","employee_id":1,"timestamp":1{{names}}},{"priority":"low","employee_id":2,"timestamp":1{{names}},"f39":0},
            {"priority":"low","employee_id":3,"timestamp":1{{names}},"f0":0},{"priority":"low","employee_id":4,"timestamp":1{{longNames}}},
            {"priority":"low","employee_id":5,"timestamp":1{{longNames}},"{{new string('n', 80)}}11":0}
            """);

        Assert.Equal([1L, 4L], batch.Incidents.Select(i => i.Identity.EmployeeId));
        Assert.Equal(new Dictionary<string, int> { [MalformedReason.FieldDuplicate] = 3 }, batch.Malformed);
    }

    [Fact]
    public void A_repeated_name_in_a_nested_object_is_found_after_other_objects()
    {
        var batch = Parse(Misuse, """{"priority":"low","employee_id":1,"timestamp":1,"a":{"k":1},"b":[{"x":{"k":1,"k":2}}]}""");

        Assert.Equal(new Dictionary<string, int> { [MalformedReason.FieldDuplicate] = 1 }, batch.Malformed);
    }

    [Fact]
    public void Identities_repeated_across_items_are_read_alike_and_long_ones_too()
    {
        var longText = new string('1', 300);
        var batch = Parse(Probing, $$"""
            {"priority":"low","ip":"10.0.0.1","timestamp":1},{"priority":"low","ip":"10.0.0.1","timestamp":2},
            {"priority":"low","ip":"010.0.0.1","timestamp":3},{"priority":"low","ip":"{{longText}}","timestamp":4},
            {"priority":"low","ip":"{{longText}}.1","timestamp":5},{"priority":"low","ip":"42","timestamp":6}
            """);

        Assert.Equal(
            [(IdentityKind.Ip, 0L, "10.0.0.1"), (IdentityKind.Ip, 0L, "10.0.0.1"), (IdentityKind.Ip, 0L, "8.0.0.1"), (IdentityKind.Malformed, 0L, null), (IdentityKind.Malformed, 0L, null), (IdentityKind.Employee, 42L, null)],
            batch.Incidents.Select(i => (i.Identity.Kind, i.Identity.EmployeeId, i.Identity.Ip)));
    }

    [Theory]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}""")]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}]} []""")]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}],}""")]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}]""")]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}]} // done""")]
    [InlineData("""{"results":[],"results":{}""")]
    public void A_body_that_breaks_off_or_goes_on_after_its_answer_is_not_json(string body)
    {
        var failure = Assert.Throws<FeedFormatException>(() => FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes(body)));

        Assert.Equal("The upstream answered with a body that is not valid JSON.", failure.Message);
    }

    [Fact]
    public void An_identities_answer_that_is_not_json_says_so_as_a_feed_answer_does()
    {
        var failure = Assert.Throws<FeedFormatException>(() => IdentityDirectory.Parse("{\"10.0.0.1\": 1"u8.ToArray()));

        Assert.Equal("The upstream answered with a body that is not valid JSON.", failure.Message);
    }

    [Theory]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}],"results":[]}""")]
    [InlineData("""{"results":[],"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}]}""")]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}],"results":{"x":[1]}}""")]
    [InlineData("""{"results":{},"other":[1],"results":[{"priority":"low","ip":"10.0.0.1","timestamp":7}]}""")]
    [InlineData("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}],"r\u0065sults":[]}""")]
    [InlineData("""{"results":[],"r\u0065\udc00":1,"results":[]}""")]
    public void An_envelope_that_names_results_twice_is_a_bad_body_whichever_comes_last(string body)
    {
        // Readers disagree on which of two names counts (a document takes the last, others the first): the answer
        // says two things at once, and neither is served.
        var failure = Assert.Throws<FeedFormatException>(() => FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes(body)));

        Assert.Equal("Feed 'probing' answered with 'results' named twice in its envelope.", failure.Message);
    }

    [Theory]
    [InlineData("""{"next":null,"results":[],"next":"?page=2"}""")]
    [InlineData("""{"n\u0065xt":null,"results":[],"next":1}""")]
    public void An_envelope_that_names_any_field_twice_is_a_bad_body(string body)
    {
        var failure = Assert.Throws<FeedFormatException>(() => FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes(body)));

        Assert.Equal("Feed 'probing' answered with a field named twice in its envelope.", failure.Message);
    }

    [Fact]
    public void Names_that_differ_only_in_case_or_escapes_of_other_text_are_no_repetition()
    {
        var batch = FeedBatch.Parse(Probing, """{"Results":{},"next":1,"nex":2,"results":[{"priority":"low","ip":"10.0.0.1","timestamp":7}],"RESULTS":3}"""u8.ToArray());

        Assert.Equal(7m, Assert.Single(batch.Incidents).Timestamp);
    }

    [Theory]
    [InlineData("""{"\ud800":1,"results":[]}""")]
    [InlineData("""{"results":[],"\udc00x":1}""")]
    [InlineData("""{"re\ud800":1,"results":[]}""")]
    [InlineData("""{"results":[],"results\ud800":1}""")]
    public void A_root_name_that_is_no_text_is_passed_over_where_a_document_would_not_compare_it(string body)
    {
        Assert.Empty(FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes(body)).Incidents);
    }

    [Theory]
    [InlineData("""{"re\ud800":1}""")]
    [InlineData("""{"results":[],"re\u0073\ud800":1}""")]
    [InlineData("""{"results":[],"\ud800xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx":1}""")]
    public void A_root_name_that_is_no_text_is_a_bad_body_where_a_document_compared_it_after_the_last_results(string body)
    {
        // Where reading a JsonDocument failed (TryGetProperty looks from the last name back and cannot compare this
        // one), but as a bad body the upstream client reports, not an InvalidOperationException it would not.
        Assert.Throws<FeedFormatException>(() => FeedBatch.Parse(Probing, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Items_that_are_no_objects_are_skipped_whole()
    {
        var batch = Parse(Probing, """[{"priority":"low"}],{"a":{"b":[1]}},"x",null,{"priority":"low","ip":"10.0.0.1","timestamp":1}""");

        Assert.Single(batch.Incidents);
        Assert.Equal(new Dictionary<string, int> { [MalformedReason.NotAnObject] = 3, [MalformedReason.PriorityMissing] = 1 }, batch.Malformed);
    }

    [Fact]
    public void A_body_can_be_reused_once_parsed()
    {
        var body = Encoding.UTF8.GetBytes("""{"results":[{"priority":"low","ip":"10.0.0.1","timestamp":1}]}""");
        var batch = FeedBatch.Parse(Probing, body);

        Array.Clear(body);

        Assert.Equal("""{"type":"probing","priority":"low","ip":"10.0.0.1","timestamp":1}""", Served(batch, "10.0.0.1"));
    }

    [Fact]
    public void A_large_answer_with_a_large_item_is_read_whole()
    {
        var large = new string('x', 70_000);
        var items = string.Join(",", Enumerable.Range(0, 2_000).Select(i => $$"""{"priority":"low","employee_id":{{i}},"timestamp":{{i}}}"""));
        var batch = Parse(Misuse, $$"""{{items}},{"priority":"high","employee_id":1,"timestamp":1,"trace":"{{large}}"}""");

        Assert.Equal(2_001, batch.Incidents.Count);
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => (long)i).Append(1), batch.Incidents.Select(i => i.Identity.EmployeeId));
        var snapshot = SnapshotBuilder.Build(Sources(batch), Now);
        Assert.Contains($$"""{"type":"misuse","priority":"low","employee_id":1999,"timestamp":1999}""", Encoding.UTF8.GetString(snapshot.Json), StringComparison.Ordinal);
        Assert.Contains($$"""{"type":"misuse","priority":"high","employee_id":1,"timestamp":1,"trace":"{{large}}"}""", Encoding.UTF8.GetString(snapshot.Json), StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_nested_as_deep_as_allowed_are_checked_for_repeated_names()
    {
        var depth = 13; // the answer, results and the item make sixteen
        var good = string.Concat(Enumerable.Repeat("{\"k\":", depth)) + "1" + new string('}', depth);
        var repeated = string.Concat(Enumerable.Repeat("{\"k\":", depth - 1)) + "{\"k\":1,\"k\":2}" + new string('}', depth - 1);

        var batch = Parse(Misuse, $$"""{"priority":"low","employee_id":1,"timestamp":1,"n":{{good}}},{"priority":"low","employee_id":2,"timestamp":1,"n":{{repeated}}}""");

        Assert.Equal([1L], batch.Incidents.Select(i => i.Identity.EmployeeId));
        Assert.Equal(new Dictionary<string, int> { [MalformedReason.FieldDuplicate] = 1 }, batch.Malformed);
    }

    [Theory]
    [InlineData("""{"n\ud800":1,"priority":"low","employee_id":9,"timestamp":9,"x":{"a":1}}""", MalformedReason.TextInvalid)]
    [InlineData("""{"priority":"low","priority":"low","employee_id":9,"timestamp":9,"x":[1,{"a":1}]}""", MalformedReason.FieldDuplicate)]
    [InlineData("""{"type":"x","employee_id":9,"timestamp":9}""", MalformedReason.TypeReserved)]
    [InlineData("""{"type":"x","priority":"low","employee_id":9}""", MalformedReason.TypeReserved)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"x":{"a":"\ud800","b":"ok"}}""", MalformedReason.TextInvalid)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"x":{"\ud800":1,"b":2}}""", MalformedReason.TextInvalid)]
    [InlineData("""{"priority":"low","employee_id":9,"timestamp":9,"x":{"a":1,"a":2,"b":3}}""", MalformedReason.FieldDuplicate)]
    public void The_first_problem_of_an_item_is_its_reason_and_the_rest_of_it_is_skipped(string poisoned, string reason)
    {
        var batch = Parse(Misuse, $$"""{"priority":"low","employee_id":1,"timestamp":1},{{poisoned}},{"priority":"high","employee_id":2,"timestamp":2}""");

        Assert.Equal([1L, 2L], batch.Incidents.Select(i => i.Identity.EmployeeId));
        Assert.Equal(new Dictionary<string, int> { [reason] = 1 }, batch.Malformed);
    }

    [Fact]
    public void A_name_that_is_not_utf8_is_not_text()
    {
        byte[] body = [.. "{\"results\":[{\"priority\":\"low\",\"employee_id\":9,\"timestamp\":9,\""u8, 0xC3, 0x28, .. "\":1}]}"u8];

        var batch = FeedBatch.Parse(Misuse, body);

        Assert.Equal(new Dictionary<string, int> { [MalformedReason.TextInvalid] = 1 }, batch.Malformed);
    }

    [Theory]
    [InlineData("12.5", IdentityKind.Malformed, 0)]
    [InlineData("1e3", IdentityKind.Malformed, 0)]
    [InlineData("-3", IdentityKind.Malformed, 0)]
    [InlineData("9223372036854775808", IdentityKind.Malformed, 0)]
    [InlineData("true", IdentityKind.Malformed, 0)]
    [InlineData("[5]", IdentityKind.Malformed, 0)]
    [InlineData("null", IdentityKind.Missing, 0)]
    [InlineData("0", IdentityKind.Employee, 0)]
    [InlineData("9223372036854775807", IdentityKind.Employee, long.MaxValue)]
    [InlineData("\"4\\u0032\"", IdentityKind.Employee, 42)]
    public void Identity_values_are_read_as_identity_references_read_them(string value, IdentityKind kind, long employeeId)
    {
        var batch = Parse(Misuse, $$"""{"priority":"low","employee_id":{{value}},"timestamp":1}""");

        Assert.Equal(new IdentityReference(kind, employeeId, null), Assert.Single(batch.Incidents).Identity);
    }

    [Fact]
    public void Names_the_serializer_escapes_are_served_escaped_and_escaped_plain_names_plain()
    {
        var batch = Parse(Misuse, "{\"\\u0070riority\":\"low\",\"employee_id\":5,\"timestamp\":1,\"n\u2028\":1,\"\\u0074ag\":2,\"a\\\\b\":3}");

        Assert.Equal(
            """{"type":"misuse","priority":"low","employee_id":5,"timestamp":1,"n\u2028":1,"tag":2,"a\\b":3}""",
            Served(batch, "-"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Incidents_of_one_time_are_served_in_the_order_of_their_bytes_whatever_their_order_received(bool reversed)
    {
        var (first, second) = ("""{"priority":"low","employee_id":5,"timestamp":7,"z":"b"}""", """{"priority":"LOW","employee_id":5,"timestamp":7,"z":"a"}""");
        var misuse = Parse(Misuse, (reversed ? $"{second},{first}," : $"{first},{second},") + """{"priority":"low","employee_id":5,"timestamp":6,"z":"c"}""");
        var denial = Parse(new FeedDefinition("denial", "reported_by"), """{"priority":"low","reported_by":5,"timestamp":7.0,"z":"z"}""");

        var snapshot = SnapshotBuilder.Build(new SnapshotSources([misuse, denial], IdentityDirectory.Empty, Now, ImmutableArray<string>.Empty), Now);

        Assert.Equal(
            """{"5":{"low":{"count":4,"incidents":[{"type":"misuse","priority":"low","employee_id":5,"timestamp":6,"z":"c"},{"type":"denial","priority":"low","reported_by":5,"timestamp":7.0,"z":"z"},{"type":"misuse","priority":"low","employee_id":5,"timestamp":7,"z":"a"},{"type":"misuse","priority":"low","employee_id":5,"timestamp":7,"z":"b"}]},"medium":{"count":0,"incidents":[]},"high":{"count":0,"incidents":[]},"critical":{"count":0,"incidents":[]}}}""",
            Encoding.UTF8.GetString(snapshot.Json));
    }

    [Fact]
    public void Answers_differing_only_in_spacing_are_the_same_inputs_and_in_the_case_of_a_priority_are_not()
    {
        var spaced = Sources(Parse(Misuse, """{ "priority" : "low",  "employee_id":5 ,"timestamp":7 }"""));
        var compact = Sources(Parse(Misuse, """{"priority":"low","employee_id":5,"timestamp":7}"""));
        var upper = Sources(Parse(Misuse, """{"priority":"LOW","employee_id":5,"timestamp":7}"""));
        var otherUpper = Sources(Parse(Misuse, """{"priority":"Low","employee_id":5,"timestamp":7}"""));

        Assert.True(SnapshotInputs.Same(spaced, compact));
        Assert.False(SnapshotInputs.Same(compact, upper));
        Assert.False(SnapshotInputs.Same(upper, otherUpper));
        Assert.True(SnapshotInputs.Same(upper, Sources(Parse(Misuse, """{"priority":"LOW","employee_id":5,"timestamp":7}"""))));
        Assert.Equal(SnapshotBuilder.Build(compact, Now).Json, SnapshotBuilder.Build(upper, Now).Json);
    }

    private static SnapshotSources Sources(FeedBatch batch) => new([batch], IdentityDirectory.Empty, Now, ImmutableArray<string>.Empty);

    private static FeedBatch Parse(FeedDefinition feed, string items) =>
        FeedBatch.Parse(feed, Encoding.UTF8.GetBytes($$"""{"results":[{{items}}]}"""));

    /// <summary>The incidents of <paramref name="batch"/> as served, whether attributed to an employee (through <paramref name="ip"/>) or not.</summary>
    private static string Served(FeedBatch batch, string ip)
    {
        var identities = new IdentityDirectory(new Dictionary<string, long> { [ip] = 1 });
        var snapshot = SnapshotBuilder.Build(new SnapshotSources([batch], identities, Now, ImmutableArray<string>.Empty), Now);
        var json = Encoding.UTF8.GetString(snapshot.Json) + Encoding.UTF8.GetString(snapshot.UnresolvedJson);
        var start = json.IndexOf("{\"type\"", StringComparison.Ordinal);
        var end = json.IndexOf("}]", start, StringComparison.Ordinal);
        return json[start..(end + 1)];
    }
}
