using System.Net;
using IncidentService.Tests.Api;

namespace IncidentService.Tests.Serving;

/// <summary>
/// <c>If-Modified-Since</c> without <c>If-None-Match</c> (RFC 9110 §13.1.3): a date not older than the content's gets
/// 304, an older one the whole answer, and a date never stands in for an acceptable coding.
/// </summary>
public sealed class ModifiedSinceTests : IAsyncLifetime
{
    private readonly IncidentServiceFactory _factory = new(frozenTime: true);
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await _factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData(-1, HttpStatusCode.OK)]
    [InlineData(0, HttpStatusCode.NotModified)]
    [InlineData(1, HttpStatusCode.NotModified)]
    public async Task A_date_not_older_than_the_content_revalidates(int seconds, HttpStatusCode expected)
    {
        var lastModified = await LastModifiedAsync();

        using var answer = await SendAsync("gzip", lastModified.AddSeconds(seconds));

        Assert.Equal(expected, answer.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? ["gzip"] : [], answer.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task A_date_does_not_answer_a_client_that_accepts_no_coding()
    {
        var lastModified = await LastModifiedAsync();

        using var answer = await SendAsync("identity;q=0", lastModified);

        Assert.Equal(HttpStatusCode.NotAcceptable, answer.StatusCode);
    }

    private async Task<DateTimeOffset> LastModifiedAsync()
    {
        using var first = await _client.GetAsync(new Uri("/incidents", UriKind.Relative));
        return first.Content.Headers.LastModified ?? throw new InvalidOperationException("no Last-Modified");
    }

    private async Task<HttpResponseMessage> SendAsync(string acceptEncoding, DateTimeOffset since)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/incidents", UriKind.Relative));
        request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        request.Headers.IfModifiedSince = since;
        return await _client.SendAsync(request);
    }
}
