using IncidentService.Api.Web.Serving;

namespace IncidentService.Tests.Serving;

public sealed class FilteredAnswersTests
{
    private static readonly SnapshotCompression Compression = SnapshotCompression.Default;

    [Fact]
    public void The_same_key_is_built_once_and_served_from_then_on()
    {
        var answers = new FilteredAnswers(maxCount: 4, maxBytes: 1_000_000);
        var builds = 0;

        var first = answers.GetOrBuild(Key("a"), () => Answer(100, ref builds));
        var second = answers.GetOrBuild(Key("a"), () => Answer(100, ref builds));

        Assert.Same(first, second);
        Assert.Equal(1, builds);
        Assert.True(answers.TryGet(Key("a"), out var kept));
        Assert.Same(first, kept);
    }

    [Fact]
    public void Past_its_count_the_oldest_answer_goes()
    {
        var answers = new FilteredAnswers(maxCount: 2, maxBytes: 1_000_000);
        var builds = 0;

        answers.GetOrBuild(Key("a"), () => Answer(100, ref builds));
        answers.GetOrBuild(Key("b"), () => Answer(100, ref builds));
        answers.GetOrBuild(Key("c"), () => Answer(100, ref builds));

        Assert.Equal(2, answers.Count);
        Assert.False(answers.TryGet(Key("a"), out _));
        Assert.True(answers.TryGet(Key("c"), out _));
    }

    [Fact]
    public void Past_its_bytes_the_oldest_answers_go_and_one_larger_than_all_is_served_not_kept()
    {
        var answers = new FilteredAnswers(maxCount: 100, maxBytes: 3_000);
        var builds = 0;

        answers.GetOrBuild(Key("a"), () => Answer(1_000, ref builds));
        answers.GetOrBuild(Key("b"), () => Answer(1_000, ref builds));
        Assert.Equal(2, answers.Count);
        answers.GetOrBuild(Key("c"), () => Answer(1_000, ref builds)); // 3 × 1,251 counted > 3,000

        Assert.False(answers.TryGet(Key("a"), out _));
        Assert.True(answers.TryGet(Key("b"), out _));
        Assert.True(answers.TryGet(Key("c"), out _));
        Assert.InRange(answers.Bytes, 2_000, 3_000);

        var huge = answers.GetOrBuild(Key("huge"), () => Answer(10_000, ref builds));
        Assert.Equal(10_000, huge.IdentityLength);
        Assert.False(answers.TryGet(Key("huge"), out _));
        Assert.True(answers.Bytes <= 3_000);
    }

    [Fact]
    public void A_compressed_body_is_made_when_first_asked_for_and_the_tags_are_known_before()
    {
        var identity = new byte[4_096];
        var answer = Representation.Deferred(identity, "\"t\"", Compression);

        Assert.Equal(0, answer.CompressedBytes);
        Assert.Equal(["\"t-br\"", "\"t-gzip\"", "\"t\""], answer.Tags);
        Assert.True(answer.Body(ContentCoding.Gzip).Length > 0);
        Assert.Equal(answer.Body(ContentCoding.Gzip).Length, answer.CompressedBytes);
    }

    private static FilteredKey Key(string filter) => new(FilteredView.Incidents, filter);

    private static Representation Answer(int bytes, ref int builds)
    {
        builds++;
        return Representation.Deferred(new byte[bytes], "\"t\"", Compression);
    }
}
