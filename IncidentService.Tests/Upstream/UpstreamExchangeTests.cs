using IncidentService.Upstream;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Upstream;

/// <summary>The edges of one exchange that the handler cannot line up on purpose: a caller giving up as the answer lands.</summary>
public sealed class UpstreamExchangeTests : IDisposable
{
    private readonly UpstreamGate _gate = new(1);
    private readonly AbandonedAttempts _abandoned = new();
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(3);

    /// <summary>Bounds a wait on what should happen without the clock moving: only a broken test reaches it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly UpstreamOptions _options = new() { AbandonedAttemptHold = Hold };
    private readonly FakeTimeProvider _time = new();

    public void Dispose()
    {
        _abandoned.Dispose();
        _gate.Dispose();
    }

    [Fact]
    public async Task Giving_up_after_the_answer_landed_drops_the_answer_and_leaves_nothing_pending()
    {
        var body = new ChunkedBody([1, 2, 3]);
        var exchange = await StartAsync((_, _) => Task.FromResult(new HttpResponseMessage { Content = body }));
        using var answered = await exchange.Answer;

        exchange.Abandon();

        Assert.Null(_abandoned.Pending(exchange.Target));
        Assert.Equal(0, _gate.InFlight);
        Assert.Throws<ObjectDisposedException>(() => answered.Content.ReadAsStream());
    }

    [Fact]
    public async Task An_exchange_given_up_on_while_the_host_stops_is_ended_at_once()
    {
        var upstream = new HangingUpstream();
        var exchange = await StartAsync(upstream.SendAsync);
        var held = await upstream.Arrival(0);
        _abandoned.Dispose();

        exchange.Abandon();

        Assert.True(held.Token.IsCancellationRequested);
        await Wait.UntilAsync(() => _gate.InFlight == 0);
    }

    [Fact]
    public async Task Of_two_attempts_waiting_for_a_late_answer_the_earlier_is_told_to_ask_anew()
    {
        var upstream = new HangingUpstream();
        var exchange = await StartAsync(upstream.SendAsync);
        await upstream.Arrival(0);
        exchange.Abandon();

        var earlier = exchange.LateAnswerAsync(CancellationToken.None);
        var later = exchange.LateAnswerAsync(CancellationToken.None);

        Assert.Null(await earlier.WaitAsync(Bound));
        Assert.False(later.IsCompleted);
    }

    [Fact]
    public async Task An_attempt_that_stops_waiting_for_a_late_answer_hears_a_cancellation()
    {
        var upstream = new HangingUpstream();
        var exchange = await StartAsync(upstream.SendAsync);
        await upstream.Arrival(0);
        exchange.Abandon();
        using var impatient = new CancellationTokenSource();
        var waiting = exchange.LateAnswerAsync(impatient.Token);

        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Giving_up_twice_keeps_the_hold_of_the_first()
    {
        var upstream = new HangingUpstream();
        var exchange = await StartAsync(upstream.SendAsync);
        var held = await upstream.Arrival(0);
        exchange.Abandon();
        _time.Advance(Hold / 2);

        exchange.Abandon();
        _time.Advance(Hold / 2);

        Assert.True(held.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_late_answer_nobody_waits_for_is_disposed()
    {
        var upstream = new HangingUpstream();
        var exchange = await StartAsync(upstream.SendAsync);
        var held = await upstream.Arrival(0);
        exchange.Abandon();
        using var late = new TrackedResponse { Content = new ByteArrayContent([1]) };

        held.Answer(late);

        await Wait.UntilAsync(() => late.Disposed);
    }

    [Fact]
    public async Task A_late_answer_whose_waiter_stopped_waiting_is_disposed()
    {
        var upstream = new HangingUpstream();
        var exchange = await StartAsync(upstream.SendAsync);
        var held = await upstream.Arrival(0);
        exchange.Abandon();
        using var impatient = new CancellationTokenSource();
        var waiting = exchange.LateAnswerAsync(impatient.Token);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        using var late = new TrackedResponse { Content = new ByteArrayContent([1]) };

        held.Answer(late);

        await Wait.UntilAsync(() => late.Disposed);
    }

    [Fact]
    public async Task A_request_the_upstream_finished_is_not_cut_when_the_hold_would_have_ended()
    {
        var upstream = new HangingUpstream();
        var exchange = await StartAsync(upstream.SendAsync);
        var held = await upstream.Arrival(0);
        exchange.Abandon();
        var waiting = exchange.LateAnswerAsync(CancellationToken.None);
        held.Answer(7);
        using var late = await waiting.WaitAsync(Bound); // handed over after the exchange let go of its hold

        _time.Advance(Hold);

        Assert.False(held.Token.IsCancellationRequested);
    }

    private async Task<UpstreamExchange> StartAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send)
    {
        var slot = await _gate.EnterAsync(CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://upstream.test/api/incidents/probing/");
        return UpstreamExchange.Start(request, send, slot, _abandoned, _options, _time);
    }

    /// <summary>A response that tells whether it was disposed (its content is replaced on the way, so only it can tell).</summary>
    private sealed class TrackedResponse : HttpResponseMessage
    {
        private int _disposed;

        public bool Disposed => Volatile.Read(ref _disposed) == 1;

        protected override void Dispose(bool disposing)
        {
            Volatile.Write(ref _disposed, 1);
            base.Dispose(disposing);
        }
    }
}
