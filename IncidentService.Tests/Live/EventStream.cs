using System.Text;
using System.Text.Json;

namespace IncidentService.Tests.Live;

/// <summary>One Server-Sent Event as read: its fields, or a comment line alone.</summary>
internal sealed record ServerSentEvent(string? Id, string? Event, string? Data, string? Comment)
{
    public JsonElement Json() => JsonDocument.Parse(Data!).RootElement;

    public string[] ChangedEmployees => [.. Json().GetProperty("changedEmployees").EnumerateArray().Select(e => e.GetString()!)];
}

/// <summary>Reads a text/event-stream body event by event; null at the end of the stream.</summary>
internal sealed class EventStream(HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    public HttpResponseMessage Response { get; } = response;

    public static async Task<EventStream> OpenAsync(HttpClient client, string path = "/incidents/changes", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    public async Task<ServerSentEvent?> NextAsync(TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        string? id = null, name = null, data = null, comment = null;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is not null || name is not null || data is not null || comment is not null)
                {
                    return new ServerSentEvent(id, name, data, comment);
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return null;
    }

    /// <summary>The next <c>snapshot</c> event, past heartbeats.</summary>
    public async Task<ServerSentEvent> NextSnapshotAsync()
    {
        while (await NextAsync() is { } next)
        {
            if (next.Event == "snapshot")
            {
                return next;
            }
        }

        throw new EndOfStreamException("The stream ended before a snapshot event.");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        Response.Dispose();
        await Task.CompletedTask;
    }
}
