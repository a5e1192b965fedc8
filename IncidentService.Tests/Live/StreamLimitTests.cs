using System.Net;
using IncidentService.Api.Web.Access;
using IncidentService.Api.Web.Live;
using Microsoft.Extensions.Options;

namespace IncidentService.Tests.Live;

/// <summary>
/// <c>Live:MaxStreams</c>: a client's streams and the process's streams are counted apart, a closed stream gives its
/// slot back once however often it is closed, and a refusal says which limit was reached.
/// </summary>
public sealed class StreamLimitTests
{
    private static readonly RateLimitClient First = new(null, null, null, IPAddress.Parse("10.0.0.7"));
    private static readonly RateLimitClient Second = new(null, null, null, IPAddress.Parse("10.0.0.8"));
    private static readonly RateLimitClient Third = new(null, null, null, IPAddress.Parse("10.0.0.9"));

    [Fact]
    public void A_client_at_its_limit_is_refused_while_another_client_still_opens()
    {
        var streams = Streams(perClient: 2, total: 10);

        Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(First));
        Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(First));
        var refused = Assert.IsType<StreamRefused>(streams.TryOpen(First));
        Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(Second));

        Assert.Equal("This client holds its limit of 2 open streams; close one first.", refused.Reason);
        Assert.Equal(3, streams.Open);
    }

    [Fact]
    public void At_the_process_limit_every_client_is_refused()
    {
        var streams = Streams(perClient: 5, total: 2);

        streams.TryOpen(First);
        streams.TryOpen(Second);
        var refused = Assert.IsType<StreamRefused>(streams.TryOpen(Third));

        Assert.Equal("This service holds its limit of 2 open streams.", refused.Reason);
        Assert.Equal(2, streams.Open);
    }

    [Fact]
    public void A_closed_stream_gives_its_slot_back_once()
    {
        var streams = Streams(perClient: 1, total: 10);
        var first = Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(First));
        var other = Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(Second));

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, streams.Open);
        var again = Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(First));
        Assert.IsType<StreamRefused>(streams.TryOpen(First));
        again.Dispose();
        other.Dispose();
        Assert.Equal(0, streams.Open);
    }

    [Fact]
    public void A_client_with_several_streams_keeps_its_count_as_they_close_one_by_one()
    {
        var streams = Streams(perClient: 2, total: 10);
        var one = Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(First));
        Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(First));

        one.Dispose();

        Assert.IsType<LiveStreams.StreamOpened>(streams.TryOpen(First));
        Assert.IsType<StreamRefused>(streams.TryOpen(First));
    }

    private static LiveStreams Streams(int perClient, int total) =>
        new(Options.Create(new LiveOptions { MaxStreams = new LiveStreamLimits { PerClient = perClient, Total = total } }));
}
