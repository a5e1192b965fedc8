namespace IncidentService.Upstream;

/// <summary>Reads an upstream body up to a limit into memory, and drops the rest of one that is larger.</summary>
internal static class BoundedBody
{
    private const int ChunkBytes = 16 * 1024;
    private const int MaxInitialCapacity = 1024 * 1024;

    /// <summary>The whole body, or null as soon as it is known to exceed <paramref name="limit"/> bytes (by its declared length, or while reading).</summary>
    public static async Task<ArraySegment<byte>?> ReadAsync(Stream body, long? declaredLength, long limit, CancellationToken cancellationToken)
    {
        if (declaredLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream((int)Math.Min(declaredLength ?? 0, MaxInitialCapacity));
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await ReadAsync(body, chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A broken body is an <see cref="HttpRequestException"/>, as from <see cref="HttpContent.LoadIntoBufferAsync()"/>: a network failure, retried.</summary>
    private static async Task<int> ReadAsync(Stream body, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(chunk, cancellationToken);
        }
        catch (IOException exception)
        {
            throw new HttpRequestException((exception as HttpIOException)?.HttpRequestError ?? HttpRequestError.Unknown, "Error while copying content to a stream.", exception);
        }
    }

    /// <summary>Reads the rest of the body and drops it: the upstream finishes sending instead of finding the connection gone.</summary>
    public static async Task DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var chunk = new byte[ChunkBytes];
        while (await body.ReadAsync(chunk, cancellationToken) > 0)
        {
        }
    }

    /// <summary>Puts the body read in place of the response's streamed content, keeping its content headers.</summary>
    public static void Replace(HttpResponseMessage response, ArraySegment<byte> body)
    {
        var streamed = response.Content;
        var buffered = new ByteArrayContent(body.Array!, body.Offset, body.Count);
        foreach (var (name, values) in streamed.Headers)
        {
            // The length is the buffer's own (a decompressed body's differs from what was sent).
            if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(name, values);
            }
        }

        response.Content = buffered;
        streamed.Dispose();
    }
}
