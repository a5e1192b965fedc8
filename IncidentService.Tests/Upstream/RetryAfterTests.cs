using System.Net;
using System.Net.Http.Headers;
using IncidentService.Upstream;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Upstream;

/// <summary>The upstream's <c>Retry-After</c> is honoured, in either form, but never beyond the cap.</summary>
public sealed class RetryAfterTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(3, 3)]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(120, 5)]
    public void A_delay_in_seconds_is_waited_up_to_the_cap(int seconds, int expected)
    {
        var wait = UpstreamResilience.RetryAfter(Answer(new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds))), Cap, Time);

        Assert.Equal(TimeSpan.FromSeconds(expected), wait);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(-30, 0)]
    [InlineData(600, 5)]
    public void A_date_is_waited_for_from_now_never_negative_and_up_to_the_cap(int secondsFromNow, int expected)
    {
        var header = new RetryConditionHeaderValue(Time.GetUtcNow().AddSeconds(secondsFromNow));

        var wait = UpstreamResilience.RetryAfter(Answer(header), Cap, Time);

        Assert.Equal(TimeSpan.FromSeconds(expected), wait);
    }

    [Fact]
    public void Without_the_header_the_backoff_decides()
    {
        Assert.Null(UpstreamResilience.RetryAfter(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), Cap, Time));
        Assert.Null(UpstreamResilience.RetryAfter(null, Cap, Time));
    }

    private static HttpResponseMessage Answer(RetryConditionHeaderValue header) =>
        new(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = header } };
}
