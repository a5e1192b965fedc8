using System.IO.Pipelines;
using IncidentService.Api.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentService.Tests.Api;

/// <summary>How a stored body reaches the server: after the headers, into one buffer of its whole length (docs/perf.md).</summary>
public sealed class BodyWriteTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task A_stored_body_is_written_after_the_headers_into_one_buffer_of_its_length(string? coding)
    {
        var (log, length) = await RecordAsync(HttpMethod.Get, coding);

        Assert.Equal(["start", $"buffer {length}", $"advance {length}", "flush"], log);
    }

    [Fact]
    public async Task A_body_over_a_mebibyte_goes_in_pieces_of_a_mebibyte_each_flushed()
    {
        // 1,500 incidents per feed: an identity answer of about 1.4 MB.
        var (log, length) = await RecordAsync(HttpMethod.Get, coding: null, ("Simulator:IncidentsPerFeed", "1500"));

        const int Piece = 1 << 20;
        Assert.InRange(length, Piece + 1, 2 * Piece);
        Assert.Equal(["start", $"buffer {Piece}", $"advance {Piece}", "flush", $"buffer {length - Piece}", $"advance {length - Piece}", "flush"], log);
        // RecordAsync has checked that the bytes received are the stored ones.
    }

    [Fact]
    public async Task A_head_request_asks_for_no_buffer()
    {
        var (log, length) = await RecordAsync(HttpMethod.Head, "gzip");

        Assert.True(length > 0);
        Assert.DoesNotContain(log, entry => entry.StartsWith("buffer", StringComparison.Ordinal) || entry.StartsWith("write", StringComparison.Ordinal));
    }

    private static async Task<(List<string> Log, long Length)> RecordAsync(HttpMethod method, string? coding, params (string Key, string Value)[] settings)
    {
        var log = new List<string>();
        await using var service = new IncidentServiceFactory(frozenTime: true, settings);
        await using var recorded = service.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new RecordBodyWrites(log))));
        using var client = recorded.CreateClient();
        var store = recorded.Services.GetRequiredService<SnapshotStore>();
        await Wait.UntilAsync(() => store.Current is not null);
        using var request = new HttpRequestMessage(method, "/incidents");
        if (coding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(coding);
        }

        lock (log)
        {
            log.Clear();
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal(coding, response.Content.Headers.ContentEncoding.SingleOrDefault());
        var received = await response.Content.ReadAsByteArrayAsync();
        if (method == HttpMethod.Get && coding is null)
        {
            Assert.Equal(store.Current!.Json, received);
        }
        lock (log)
        {
            return ([.. log], response.Content.Headers.ContentLength ?? -1);
        }
    }

    /// <summary>Puts a recording writer in front of the server's, for every request, ahead of the whole pipeline.</summary>
    private sealed class RecordBodyWrites(List<string> log) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var inner = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
                context.Features.Set<IHttpResponseBodyFeature>(new RecordingBody(inner, log));
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class RecordingBody(IHttpResponseBodyFeature inner, List<string> log) : IHttpResponseBodyFeature
    {
        private readonly RecordingWriter _writer = new(inner.Writer, log);

        public Stream Stream => inner.Stream;

        public PipeWriter Writer => _writer;

        public void DisableBuffering() => inner.DisableBuffering();

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            Record(log, "start");
            return inner.StartAsync(cancellationToken);
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            inner.SendFileAsync(path, offset, count, cancellationToken);

        public Task CompleteAsync() => inner.CompleteAsync();
    }

    private sealed class RecordingWriter(PipeWriter inner, List<string> log) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            Record(log, $"advance {bytes}");
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            Record(log, $"buffer {sizeHint}");
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            Record(log, $"buffer {sizeHint}");
            return inner.GetSpan(sizeHint);
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            Record(log, $"write {source.Length}");
            return inner.WriteAsync(source, cancellationToken);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Record(log, "flush");
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }

    private static void Record(List<string> log, string entry)
    {
        lock (log)
        {
            log.Add(entry);
        }
    }
}
