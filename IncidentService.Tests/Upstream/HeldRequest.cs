namespace IncidentService.Tests.Upstream;

/// <summary>A request a <see cref="HangingUpstream"/> holds: the test answers it or closes its connection.</summary>
internal sealed class HeldRequest(CancellationToken token)
{
    private readonly TaskCompletionSource<HttpResponseMessage> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The token the client sent it with: cancelled when the client closes the connection.</summary>
    public CancellationToken Token => token;

    public Task<HttpResponseMessage> Outcome => _outcome.Task;

    public void Answer(params byte[] body) => _outcome.SetResult(new HttpResponseMessage { Content = new ByteArrayContent(body) });

    public void Answer(HttpContent content) => Answer(new HttpResponseMessage { Content = content });

    public void Answer(HttpResponseMessage response) => _outcome.SetResult(response);

    public void Close() => _outcome.SetException(new HttpRequestException(HttpRequestError.ResponseEnded, "The upstream closed the connection."));
}
