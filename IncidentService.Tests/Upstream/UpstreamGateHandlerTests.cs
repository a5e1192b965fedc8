using IncidentService.Upstream;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Upstream;

/// <summary>The innermost handler: one gate slot per attempt, held until the body is read, and a bounded body.</summary>
public sealed class UpstreamGateHandlerTests : IDisposable
{
    private const int Limit = 1024;
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);

    private readonly UpstreamGate _gate = new(1);
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _gate.Dispose();

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
        Assert.True(body.Disposed);
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
    public async Task An_oversized_attempt_keeps_its_slot_for_the_hold_then_frees_it()
    {
        using var invoker = Invoker(_ => new HttpResponseMessage { Content = new ChunkedBody(new byte[Limit * 2]) });

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => Get(invoker));

        Assert.Equal(1, _gate.InFlight); // the upstream is still sending it
        _time.Advance(Hold - TimeSpan.FromTicks(1));
        Assert.Equal(1, _gate.InFlight);
        _time.Advance(TimeSpan.FromTicks(1));
        await Wait.UntilAsync(() => _gate.InFlight == 0);
    }

    [Fact]
    public async Task A_cancelled_attempt_keeps_its_slot_for_the_hold_then_frees_it()
    {
        using var cancel = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var invoker = Invoker(async (_, ct) =>
        {
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        var sending = Get(invoker, cancel.Token);
        await entered.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Equal(1, _gate.InFlight);
        _time.Advance(Hold);
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

        Assert.IsType<IOException>(failure.InnerException);
        Assert.True(body.Disposed);
        Assert.Equal(0, _gate.InFlight);
    }

    private HttpMessageInvoker Invoker(Func<HttpRequestMessage, HttpResponseMessage> answer, TimeSpan? hold = null) =>
        Invoker((request, _) => Task.FromResult(answer(request)), hold);

    private HttpMessageInvoker Invoker(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer, TimeSpan? hold = null)
    {
        var options = Options.Create(new UpstreamOptions { MaxResponseBytes = Limit, AbandonedAttemptHold = hold ?? Hold });
        return new HttpMessageInvoker(new UpstreamGateHandler(_gate, options, _time) { InnerHandler = new StubUpstreamHandler(answer) });
    }

    private static Task<HttpResponseMessage> Get(HttpMessageInvoker invoker, CancellationToken cancellationToken = default) =>
        invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://upstream.test/api/incidents/probing/"), cancellationToken);
}
