using System.Net;
using System.Net.Sockets;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncidentService.Upstream;

/// <summary>
/// The typed client for the incident API. Always calls the slashed URLs (an unslashed one answers 301, and following
/// it may drop the Authorization header). Failures come out as <see cref="UpstreamCallException"/>.
/// </summary>
public sealed class UpstreamClient(HttpClient http, CircuitOpenReasons circuits)
{
    public async Task<FeedBatch> GetFeedAsync(FeedDefinition feed, CancellationToken cancellationToken)
    {
        var body = await GetAsync($"incidents/{Uri.EscapeDataString(feed.Name)}/", cancellationToken);
        return await ReadAsync(() => FeedBatch.Parse(feed, body));
    }

    public async Task<IdentityDirectory> GetIdentitiesAsync(CancellationToken cancellationToken)
    {
        var body = await GetAsync("identities/", cancellationToken);
        return await ReadAsync(() => IdentityDirectory.Parse(body));
    }

    private static async Task<T> ReadAsync<T>(Func<T> parse)
    {
        // Parsing is CPU work (seconds for a million incidents), and so is what the caller does next with the result.
        // The body's last read may have completed on a socket engine's thread, which with inline socket completions
        // also serves the service's requests: go to the thread pool first.
        await Task.Yield();
        try
        {
            return parse();
        }
        catch (FeedFormatException exception)
        {
            throw new UpstreamCallException(FetchFailureKind.BadBody, exception.Message, exception);
        }
    }

    private async Task<byte[]> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new UpstreamCallException(FetchFailureKind.Unauthorized, "unauthorized: the upstream rejected the configured credentials (HTTP 401)");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new UpstreamCallException(FetchFailureKind.HttpStatus, $"the upstream answered HTTP {(int)response.StatusCode}");
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new UpstreamCallException(FetchFailureKind.Timeout, $"timed out after {exception.Timeout.TotalSeconds:0.#} s", exception);
        }
        catch (BrokenCircuitException exception)
        {
            var cause = circuits.For(new Uri(http.BaseAddress!, path).AbsolutePath) is { } reason ? $" (last: {reason})" : "";
            throw new UpstreamCallException(FetchFailureKind.CircuitOpen, $"circuit open after repeated failures{cause}; waiting before the next probe", exception);
        }
        catch (UpstreamResponseTooLargeException exception)
        {
            throw new UpstreamCallException(FetchFailureKind.TooLarge, exception.Message, exception);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamCallException(FetchFailureKind.Network, Describe(exception), exception);
        }
    }

    private static string Describe(HttpRequestException exception) => exception.InnerException switch
    {
        SocketException socket => $"network error: {socket.SocketErrorCode}",
        _ => $"network error: {exception.HttpRequestError}",
    };
}
