using IncidentService.Api.Web.Serving;

namespace IncidentService.Tests.Serving;

/// <summary>
/// What the kept filtered answers count against their bound: the identity bytes plus a quarter for compressed bodies
/// and one, answers exactly at the bound stay, and a build that fails leaves nothing behind.
/// </summary>
public sealed class FilteredAnswersBoundTests
{
    [Fact]
    public void Each_answer_counts_its_identity_bytes_a_quarter_more_and_one()
    {
        var answers = new FilteredAnswers(maxCount: 10, maxBytes: 1_000_000);

        answers.GetOrBuild(Key("a"), () => Answer(1_000));
        Assert.Equal(1_251, answers.Bytes);

        answers.GetOrBuild(Key("b"), () => Answer(10));
        Assert.Equal(1_251 + 13, answers.Bytes);
        Assert.Equal(2, answers.Count);
    }

    [Fact]
    public void Answers_exactly_at_the_byte_bound_are_all_kept()
    {
        var answers = new FilteredAnswers(maxCount: 10, maxBytes: 2 * 1_251);

        answers.GetOrBuild(Key("a"), () => Answer(1_000));
        answers.GetOrBuild(Key("b"), () => Answer(1_000));

        Assert.True(answers.TryGet(Key("a"), out _));
        Assert.True(answers.TryGet(Key("b"), out _));
        Assert.Equal(2 * 1_251, answers.Bytes);
    }

    [Fact]
    public void An_answer_evicted_gives_its_bytes_back()
    {
        var answers = new FilteredAnswers(maxCount: 1, maxBytes: 1_000_000);

        answers.GetOrBuild(Key("a"), () => Answer(1_000));
        answers.GetOrBuild(Key("b"), () => Answer(100));

        Assert.False(answers.TryGet(Key("a"), out _));
        Assert.Equal(126, answers.Bytes);
        Assert.Equal(1, answers.Count);
    }

    [Fact]
    public void A_build_that_fails_is_not_kept_and_the_next_ask_builds_again()
    {
        var answers = new FilteredAnswers(maxCount: 10, maxBytes: 1_000_000);

        Assert.Throws<InvalidOperationException>(() => answers.GetOrBuild(Key("a"), () => throw new InvalidOperationException("the snapshot went away")));

        Assert.Equal(0, answers.Count);
        Assert.False(answers.TryGet(Key("a"), out _));
        var built = answers.GetOrBuild(Key("a"), () => Answer(100));
        Assert.Equal(100, built.IdentityLength);
        Assert.Equal(126, answers.Bytes);
    }

    [Fact]
    public void An_answer_rebuilt_after_a_failed_build_is_counted_and_evicted_as_itself()
    {
        var answers = new FilteredAnswers(maxCount: 2, maxBytes: 1_000_000);
        Assert.Throws<InvalidOperationException>(() => answers.GetOrBuild(Key("a"), () => throw new InvalidOperationException("the snapshot went away")));
        answers.GetOrBuild(Key("a"), () => Answer(100));
        answers.GetOrBuild(Key("b"), () => Answer(100));

        answers.GetOrBuild(Key("c"), () => Answer(100)); // one too many: the oldest kept answer, "a", goes

        Assert.False(answers.TryGet(Key("a"), out _));
        Assert.True(answers.TryGet(Key("b"), out _));
        Assert.True(answers.TryGet(Key("c"), out _));
        Assert.Equal(2 * 126, answers.Bytes);
    }

    [Fact]
    public void Asking_again_for_a_kept_answer_counts_it_once()
    {
        var answers = new FilteredAnswers(maxCount: 10, maxBytes: 1_000_000);

        answers.GetOrBuild(Key("a"), () => Answer(1_000));
        answers.GetOrBuild(Key("a"), () => Answer(1_000));

        Assert.Equal(1_251, answers.Bytes);
    }

    private static FilteredKey Key(string filter) => new(FilteredView.Incidents, filter);

    private static Representation Answer(int bytes) => Representation.Deferred(new byte[bytes], "\"t\"", SnapshotCompression.Default);
}
