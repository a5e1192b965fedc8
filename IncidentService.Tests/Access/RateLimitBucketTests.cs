using IncidentService.Api.Web.Access;

namespace IncidentService.Tests.Access;

/// <summary>
/// <c>RateLimit:PermitsPerSecond</c> as a token bucket: whole tokens per period, the period stretched so that the
/// rate is the configured one (0.5/s is one token every 2 s), <c>RateLimit:Burst</c> the bucket's size, no queue.
/// </summary>
public sealed class RateLimitBucketTests
{
    [Theory]
    [InlineData(50, 50, 1)]
    [InlineData(0.5, 1, 2)]
    [InlineData(0.001, 1, 1000)]
    [InlineData(1.6, 2, 1.25)]
    [InlineData(2.5, 2, 0.8)] // rounded to even, then the period keeps the rate
    public void The_bucket_refills_whole_tokens_at_the_configured_rate(double permitsPerSecond, int tokens, double periodSeconds)
    {
        var bucket = ClientRateLimit.Bucket(new RateLimitOptions { PermitsPerSecond = permitsPerSecond, Burst = 7 });

        Assert.Equal(tokens, bucket.TokensPerPeriod);
        Assert.Equal(periodSeconds, bucket.ReplenishmentPeriod.TotalSeconds, 9);
        Assert.Equal(permitsPerSecond, bucket.TokensPerPeriod / bucket.ReplenishmentPeriod.TotalSeconds, 9);
    }

    [Fact]
    public void The_burst_is_the_buckets_size_and_nothing_waits_in_a_queue()
    {
        var bucket = ClientRateLimit.Bucket(new RateLimitOptions { PermitsPerSecond = 50, Burst = 7 });

        Assert.Equal(7, bucket.TokenLimit);
        Assert.Equal(0, bucket.QueueLimit);
        Assert.True(bucket.AutoReplenishment);
    }
}
