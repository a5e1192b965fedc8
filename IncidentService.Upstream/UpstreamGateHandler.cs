using Microsoft.Extensions.Options;

namespace IncidentService.Upstream;

/// <summary>
/// Innermost handler, so every attempt (retries included) takes a slot of the <see cref="UpstreamGate"/>. It keeps the
/// slot until the body is fully read, because the upstream is busy until then, and reads at most
/// <see cref="UpstreamOptions.MaxResponseBytes"/>.
/// </summary>
internal sealed class UpstreamGateHandler(UpstreamGate gate, IOptions<UpstreamOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var slot = await gate.EnterAsync(cancellationToken);
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
}
