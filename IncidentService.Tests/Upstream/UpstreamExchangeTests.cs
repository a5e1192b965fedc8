using IncidentService.Upstream;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Upstream;

/// <summary>The edges of one exchange that the handler cannot line up on purpose: a caller giving up as the answer lands.</summary>
public sealed class UpstreamExchangeTests : IDisposable
{
    private readonly UpstreamGate _gate = new(1);
    private readonly AbandonedAttempts _abandoned = new();
    private readonly UpstreamOptions _options = new() { AbandonedAttemptHold = TimeSpan.FromMinutes(3) };

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

    private async Task<UpstreamExchange> StartAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send)
    {
        var slot = await _gate.EnterAsync(CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://upstream.test/api/incidents/probing/");
        return UpstreamExchange.Start(request, send, slot, _abandoned, _options, new FakeTimeProvider());
    }
}
