using Microsoft.Extensions.Options;

namespace IncidentService.Upstream;

/// <summary>
/// Innermost handler, so every attempt (retries included) takes a slot of the <see cref="UpstreamGate"/>. The slot is
/// held until the upstream is done with the request — its body read (at most <see cref="UpstreamOptions.MaxResponseBytes"/>),
/// or its connection closed — not until this side stops waiting: an attempt given up on (timed out, cancelled, its
/// body too large) stays at the upstream for up to <see cref="UpstreamOptions.AbandonedAttemptHold"/> more (see
/// <see cref="UpstreamExchange"/>), so the upstream never has more requests than the bound, however long it hangs.
/// Each attempt is sent only if <see cref="IUpstreamAdmission"/> admits it at that instant.
/// </summary>
internal sealed class UpstreamGateHandler(UpstreamGate gate, IUpstreamAdmission admission, AbandonedAttempts abandoned, IOptions<UpstreamOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The upstream is still on this target's request from an attempt given up on: wait for it rather than ask again
        // (a second request would only queue behind the first and take a second slot), and take its answer if it comes.
        if (abandoned.Pending(request.RequestUri?.AbsoluteUri ?? "") is { } earlier
            && await earlier.LateAnswerAsync(cancellationToken) is { } late)
        {
            return late;
        }

        var slot = await gate.EnterAsync(cancellationToken);
        try
        {
            // Last check before the request leaves: the slot may have been waited for past the end of the poller's term.
            admission.ThrowIfNotAdmitted();
        }
        catch (OperationCanceledException)
        {
            slot.Dispose();
            throw;
        }

        var exchange = UpstreamExchange.Start(request, (message, token) => base.SendAsync(message, token), slot, abandoned, options.Value, time);
        try
        {
            return await exchange.Answer.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            exchange.Abandon();
            throw;
        }
    }
}
