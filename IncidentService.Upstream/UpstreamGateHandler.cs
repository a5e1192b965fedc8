using Microsoft.Extensions.Options;

namespace IncidentService.Upstream;

/// <summary>
/// Innermost handler, so every attempt (retries included) takes a slot of the <see cref="UpstreamGate"/>. It keeps the
/// slot until the body is fully read, because the upstream is busy until then, and reads at most
/// <see cref="UpstreamOptions.MaxResponseBytes"/>. An attempt this side abandons (timed out, or its body too large)
/// keeps its slot for <see cref="UpstreamOptions.AbandonedAttemptHold"/> more: the upstream is still working on it
/// until it notices, and the next attempt must not arrive on top of it.
/// </summary>
internal sealed class UpstreamGateHandler(UpstreamGate gate, IOptions<UpstreamOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var slot = await gate.EnterAsync(cancellationToken);
        try
        {
            var response = await SendAndBufferAsync(request, cancellationToken);
            slot.Dispose();
            return response;
        }
        catch (Exception exception) when (exception is OperationCanceledException or UpstreamResponseTooLargeException)
        {
            ReleaseLater(slot, options.Value.AbandonedAttemptHold);
            throw;
        }
        catch
        {
            // The upstream ended this attempt itself (an error, a reset): it is not busy with it any more.
            slot.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAndBufferAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            var limit = options.Value.MaxResponseBytes;
            if (response.Content.Headers.ContentLength > limit)
            {
                throw new UpstreamResponseTooLargeException(limit);
            }

            await response.Content.LoadIntoBufferAsync(limit, cancellationToken);
            return response;
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            response.Dispose();
            throw new UpstreamResponseTooLargeException(options.Value.MaxResponseBytes);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private void ReleaseLater(IDisposable slot, TimeSpan hold)
    {
        if (hold <= TimeSpan.Zero)
        {
            slot.Dispose();
            return;
        }

        // Not awaited: the failure goes on to the retry logic now; only the slot waits.
        _ = Task.Delay(hold, time).ContinueWith(static (_, s) => ((IDisposable)s!).Dispose(), slot, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }
}
