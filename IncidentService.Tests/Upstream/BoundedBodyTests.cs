using System.IO.Pipelines;
using IncidentService.Upstream;

namespace IncidentService.Tests.Upstream;

/// <summary>A body is read whole up to the limit, refused on its declared length alone, and the rest of a refused one drained.</summary>
public sealed class BoundedBodyTests
{
    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_without_reading_the_body()
    {
        await using var body = new UnreadableStream();

        var read = await BoundedBody.ReadAsync(body, declaredLength: 11, limit: 10, CancellationToken.None);

        Assert.Null(read);
    }

    [Fact]
    public async Task A_declared_length_too_large_for_one_buffer_sizes_nothing_by_it()
    {
        // Allowed by a limit of 4 GiB but beyond what one array holds: the buffer starts at its usual size and grows.
        await using var body = new MemoryStream([1, 2, 3]);

        var read = await BoundedBody.ReadAsync(body, declaredLength: 3_000_000_000, limit: 4_000_000_000, CancellationToken.None);

        Assert.Equal([1, 2, 3], read!.Value.ToArray());
    }

    [Fact]
    public async Task Draining_reads_the_body_to_its_end()
    {
        await using var body = new MemoryStream(new byte[100_000]);

        await BoundedBody.DrainAsync(body, CancellationToken.None);

        Assert.Equal(body.Length, body.Position);
    }

    [Fact]
    public async Task The_body_read_replaces_the_streamed_content_with_its_own_length_and_the_other_headers()
    {
        using var streamed = new StreamContent(new MemoryStream([9, 9, 9, 9, 9]));
        streamed.Headers.ContentLength = 5; // as sent, compressed: the body read is the decompressed one
        streamed.Headers.ContentType = new("application/json");
        using var response = new HttpResponseMessage { Content = streamed };

        BoundedBody.Replace(response, new ArraySegment<byte>([0, 1, 2, 3, 4, 5, 6, 7], 1, 6));

        Assert.Equal(6, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([1, 2, 3, 4, 5, 6], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_body_that_can_be_read_only_once_reaches_the_caller_whole()
    {
        // A connection's body, unlike a test's buffered content, cannot be read a second time.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 4, 5, 6 });
        await pipe.Writer.CompleteAsync();
        using var gate = new UpstreamGate(1);
        using var abandoned = new AbandonedAttempts();
        var slot = await gate.EnterAsync(CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://upstream.test/api/identities/");
        var exchange = UpstreamExchange.Start(
            request,
            (_, _) => Task.FromResult(new HttpResponseMessage { Content = new StreamContent(pipe.Reader.AsStream()) }),
            slot,
            abandoned,
            new UpstreamOptions(),
            TimeProvider.System);

        using var response = await exchange.Answer;

        Assert.Equal([4, 5, 6], await response.Content.ReadAsByteArrayAsync());
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("read");
    }
}
