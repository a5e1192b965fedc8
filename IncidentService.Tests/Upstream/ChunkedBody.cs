using System.IO.Pipelines;
using System.Net;

namespace IncidentService.Tests.Upstream;

/// <summary>
/// A body sent the way a streaming upstream sends it: no Content-Length, the first half at once, the rest after
/// <paramref name="rest"/> completes — or, with <paramref name="breakMidway"/>, the connection breaks after the first half.
/// Read as a stream, it streams (a plain <see cref="HttpContent"/> would buffer it whole first), as a connection's does.
/// </summary>
internal sealed class ChunkedBody(byte[] data, Task? rest = null, bool breakMidway = false) : HttpContent
{
    private int _disposed;

    public bool Disposed => Volatile.Read(ref _disposed) == 1;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = data.Length / 2;
        await stream.WriteAsync(data.AsMemory(0, half));
        if (breakMidway)
        {
            // What a connection's response stream throws when the upstream closes it early.
            throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
        }

        if (rest is not null)
        {
            await rest;
        }

        await stream.WriteAsync(data.AsMemory(half));
    }

    protected override Task<Stream> CreateContentReadStreamAsync()
    {
        var pipe = new Pipe();
        _ = SendAsync(pipe.Writer);
        return Task.FromResult(pipe.Reader.AsStream());
    }

    private async Task SendAsync(PipeWriter writer)
    {
        try
        {
            await SerializeToStreamAsync(writer.AsStream(leaveOpen: true), null);
            await writer.CompleteAsync();
        }
        catch (IOException exception)
        {
            await writer.CompleteAsync(exception);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        Volatile.Write(ref _disposed, 1);
        base.Dispose(disposing);
    }
}
