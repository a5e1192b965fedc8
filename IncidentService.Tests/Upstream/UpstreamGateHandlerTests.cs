using IncidentService.Upstream;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Upstream;

/// <summary>
/// The innermost handler: one gate slot per attempt, held until the upstream is done with the request — its body read,
/// or its connection closed by the upstream — even when this side gave up (then at most the hold), and a bounded body.
/// </summary>
public sealed class UpstreamGateHandlerTests : IDisposable
{
    private const int Limit = 1024;
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);

    /// <summary>Bounds a wait on what should happen without the clock moving: only a broken test reaches it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private const string ProbingUrl = "http://upstream.test/api/incidents/probing/";

    private readonly UpstreamGate _gate = new(1);
    private readonly AbandonedAttempts _abandoned = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose()
    {
        _abandoned.Dispose();
        _gate.Dispose();
    }

    [Fact]
    public async Task An_attempt_the_poller_term_no_longer_admits_is_never_sent_and_frees_its_slot()
    {
        var stub = StubUpstreamHandler.Answering(_ => new HttpResponseMessage());
        var options = Options.Create(new UpstreamOptions { MaxResponseBytes = Limit, AbandonedAttemptHold = Hold });
        using var invoker = new HttpMessageInvoker(new UpstreamGateHandler(_gate, new TermOver(), _abandoned, options, _time) { InnerHandler = stub });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Get(invoker));

        Assert.Empty(stub.Requests);
        Assert.Equal(0, _gate.InFlight);
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_read_whole()
    {
        var body = Enumerable.Range(0, Limit).Select(i => (byte)i).ToArray();
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = new ByteArrayContent(body) });

        using var response = await Get(invoker);

        Assert.Equal(Limit, response.Content.Headers.ContentLength);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, _gate.InFlight);
    }

    [Fact]
    public async Task A_body_over_the_limit_without_content_length_is_too_large_and_says_which_limit()
    {
        var body = new ChunkedBody(new byte[Limit + 1]);
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = body });

        var failure = await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => Get(invoker));

        Assert.Equal($"The upstream answer exceeded the {Limit}-byte limit (Upstream:MaxResponseBytes).", failure.Message);
        await Wait.UntilAsync(() => body.Disposed && _gate.InFlight == 0); // read to its end, then let go
    }

    [Fact]
    public async Task A_body_at_the_limit_without_content_length_is_read_whole()
    {
        var body = Enumerable.Range(0, Limit).Select(i => (byte)i).ToArray();
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = new ChunkedBody(body) });

        using var response = await Get(invoker);

        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_slot_is_held_until_the_body_is_read()
    {
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = new ChunkedBody(new byte[100], rest.Task) });

        var sending = Get(invoker);

        Assert.False(sending.IsCompleted); // headers are in, the body is not
        Assert.Equal(1, _gate.InFlight);
        rest.SetResult();
        using var response = await sending;
        Assert.Equal(0, _gate.InFlight);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task An_oversized_body_is_reported_at_once_and_its_slot_held_while_the_rest_is_drained()
    {
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new ChunkedBody(new byte[Limit * 4], rest.Task);
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = body });

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => Get(invoker));

        Assert.Equal(1, _gate.InFlight); // the upstream is still sending it
        Assert.False(body.Disposed); // read on, not cut off
        rest.SetResult();
        await Wait.UntilAsync(() => _gate.InFlight == 0 && body.Disposed);
    }

    [Fact]
    public async Task An_oversized_body_that_never_ends_frees_its_slot_at_the_hold_and_closes_the_connection()
    {
        var body = new ChunkedBody(new byte[Limit * 4], new TaskCompletionSource().Task);
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = body });

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => Get(invoker));

        _time.Advance(Hold - TimeSpan.FromTicks(1));
        Assert.Equal(1, _gate.InFlight);
        _time.Advance(TimeSpan.FromTicks(1));
        await Wait.UntilAsync(() => _gate.InFlight == 0 && body.Disposed);
    }

    [Fact]
    public async Task A_cancelled_attempt_keeps_its_slot_and_its_connection_until_the_upstream_answers()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        using var cancel = new CancellationTokenSource();

        var sending = Get(invoker, cancel.Token);
        var held = await upstream.Arrival(0);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Equal(1, _gate.InFlight);
        Assert.False(held.Token.IsCancellationRequested); // the connection stays open: the upstream is still on it
        held.Answer(new byte[10]);
        await Wait.UntilAsync(() => _gate.InFlight == 0);
    }

    [Fact]
    public async Task A_cancelled_attempt_frees_its_slot_as_soon_as_the_upstream_closes_the_connection()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        var held = await AbandonedAsync(invoker, upstream);
        var next = _gate.EnterAsync(CancellationToken.None);
        Assert.False(next.IsCompleted); // the upstream is still on the abandoned request

        held.Close();

        using var slot = await next.WaitAsync(Bound); // freed by the close itself: no time passes, so not at the hold
        Assert.False(held.Token.IsCancellationRequested); // the upstream closed it; this side did not
    }

    [Fact]
    public async Task A_cancelled_attempt_the_upstream_never_finishes_frees_its_slot_at_the_hold_and_closes_the_connection()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        var held = await AbandonedAsync(invoker, upstream);

        _time.Advance(Hold - TimeSpan.FromTicks(1));
        Assert.Equal(1, _gate.InFlight);
        Assert.False(held.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(held.Token.IsCancellationRequested);
        await Wait.UntilAsync(() => _gate.InFlight == 0);
    }

    [Fact]
    public async Task While_an_abandoned_attempt_is_at_the_upstream_another_target_waits_for_the_slot_without_being_sent()
    {
        var upstream = new HangingUpstream();
        var others = 0;
        using var invoker = Invoker((request, token) =>
        {
            if (request.RequestUri!.AbsolutePath.Contains("probing", StringComparison.Ordinal))
            {
                return upstream.SendAsync(request, token);
            }

            Interlocked.Increment(ref others);
            return Task.FromResult(new HttpResponseMessage { Content = new ByteArrayContent([1]) });
        });
        var held = await AbandonedAsync(invoker, upstream);

        var second = Get(invoker, "incidents/denial/");

        Assert.False(second.IsCompleted);
        Assert.Equal(0, Volatile.Read(ref others));
        held.Answer(2);
        using var answered = await second;
        Assert.Equal(1, Volatile.Read(ref others));
        Assert.Equal([1], await answered.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_next_attempt_at_the_same_target_waits_for_the_abandoned_one_and_takes_its_late_answer()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        var held = await AbandonedAsync(invoker, upstream);

        var retry = Get(invoker);
        Assert.False(retry.IsCompleted);
        held.Answer(7, 7);

        using var late = await retry;
        Assert.Equal([7, 7], await late.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, upstream.Requests); // asked once
        Assert.Equal(0, _gate.InFlight);
    }

    [Fact]
    public async Task When_the_abandoned_attempt_ends_without_an_answer_the_next_attempt_asks_anew()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        var held = await AbandonedAsync(invoker, upstream);

        var retry = Get(invoker);
        Assert.False(retry.IsCompleted);
        held.Close();
        (await upstream.Arrival(1)).Answer(3);

        using var answered = await retry;
        Assert.Equal([3], await answered.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task A_late_answer_nobody_waits_for_is_dropped_and_the_next_attempt_asks_anew()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        var held = await AbandonedAsync(invoker, upstream);
        var late = new ChunkedBody([9]);
        held.Answer(late);
        await Wait.UntilAsync(() => _gate.InFlight == 0 && late.Disposed);

        Assert.Null(_abandoned.Pending(ProbingUrl));
        var next = Get(invoker);
        (await upstream.Arrival(1)).Answer(4);

        using var answered = await next;
        Assert.Equal([4], await answered.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task An_attempt_that_gives_up_waiting_for_a_late_answer_leaves_it_to_be_dropped()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        var held = await AbandonedAsync(invoker, upstream);
        using var impatient = new CancellationTokenSource();
        var waiting = Get(invoker, impatient.Token);
        Assert.False(waiting.IsCompleted);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Answer(new StringContent("late"));
        await Wait.UntilAsync(() => _gate.InFlight == 0);

        var next = Get(invoker);
        (await upstream.Arrival(1)).Answer(5);
        using var answered = await next;
        Assert.Equal([5], await answered.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, upstream.Requests); // the attempt that waited sent nothing
    }

    [Fact]
    public async Task A_body_read_into_memory_keeps_its_content_headers_and_gets_its_own_length()
    {
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = new StringContent("""{"results":[]}""", System.Text.Encoding.UTF8, "application/json") });

        using var response = await Get(invoker);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(14, response.Content.Headers.ContentLength);
        Assert.Equal("""{"results":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Closing_the_abandoned_attempts_with_the_host_ends_them_at_once()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync);
        var held = await AbandonedAsync(invoker, upstream);

        _abandoned.Dispose();

        Assert.True(held.Token.IsCancellationRequested);
        await Wait.UntilAsync(() => _gate.InFlight == 0);
    }

    [Fact]
    public async Task With_no_hold_a_cancelled_attempt_closes_its_connection_and_frees_its_slot()
    {
        var upstream = new HangingUpstream();
        using var invoker = Invoker(upstream.SendAsync, hold: TimeSpan.Zero);
        using var cancel = new CancellationTokenSource();
        var sending = Get(invoker, cancel.Token);
        var held = await upstream.Arrival(0);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.True(held.Token.IsCancellationRequested);
        await Wait.UntilAsync(() => _gate.InFlight == 0);
    }

    [Fact]
    public async Task With_no_hold_an_abandoned_attempt_frees_its_slot_at_once()
    {
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = new ChunkedBody(new byte[Limit * 2]) }, hold: TimeSpan.Zero);

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => Get(invoker));

        Assert.Equal(0, _gate.InFlight);
    }

    [Fact]
    public async Task An_attempt_the_upstream_ended_itself_frees_its_slot_at_once()
    {
        using var invoker = Invoker((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Get(invoker));

        Assert.Equal(HttpRequestError.ConnectionError, failure.HttpRequestError);
        Assert.Equal(0, _gate.InFlight);
    }

    [Fact]
    public async Task A_body_that_breaks_midway_fails_the_attempt_frees_its_slot_and_its_connection()
    {
        var body = new ChunkedBody(new byte[100], breakMidway: true);
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = body });

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Get(invoker));

        Assert.IsType<HttpIOException>(failure.InnerException);
        Assert.Equal(HttpRequestError.ResponseEnded, failure.HttpRequestError);
        Assert.Equal("Error while copying content to a stream.", failure.Message);
        Assert.True(body.Disposed);
        Assert.Equal(0, _gate.InFlight);
    }

    private HttpMessageInvoker Invoker(Func<HttpRequestMessage, HttpResponseMessage> answer, TimeSpan? hold = null) =>
        Invoker((request, _) => Task.FromResult(answer(request)), hold);

    private HttpMessageInvoker Invoker(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer, TimeSpan? hold = null)
    {
        var options = Options.Create(new UpstreamOptions { MaxResponseBytes = Limit, AbandonedAttemptHold = hold ?? Hold });
        return new HttpMessageInvoker(new UpstreamGateHandler(_gate, new AlwaysAdmitted(), _abandoned, options, _time) { InnerHandler = new StubUpstreamHandler(answer) });
    }

    private sealed class TermOver : IUpstreamAdmission
    {
        public void ThrowIfNotAdmitted() => throw new OperationCanceledException("the poller term ran out");
    }

    /// <summary>A request the caller gave up on while the upstream holds it: what most of these tests start from.</summary>
    private static async Task<HeldRequest> AbandonedAsync(HttpMessageInvoker invoker, HangingUpstream upstream)
    {
        using var cancel = new CancellationTokenSource();
        var sending = Get(invoker, cancel.Token);
        var held = await upstream.Arrival(0);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        return held;
    }

    private static Task<HttpResponseMessage> Get(HttpMessageInvoker invoker, CancellationToken cancellationToken = default) =>
        Get(invoker, "incidents/probing/", cancellationToken);

    private static Task<HttpResponseMessage> Get(HttpMessageInvoker invoker, string path, CancellationToken cancellationToken = default) =>
        invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://upstream.test/api/" + path), cancellationToken);
}
