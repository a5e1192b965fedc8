using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Web.Access;

/// <summary>One token bucket per client (<see cref="RateLimitClient"/>); 429 with Retry-After beyond it.</summary>
internal static class ClientRateLimit
{
    public static IServiceCollection AddClientRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectedAsync;
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, RateLimitExemption>((limiter, options, exemption) =>
        {
            var bucket = Bucket(options.Value);
            Func<RateLimitClient, RateLimiter> newBucket = _ => new TokenBucketRateLimiter(bucket); // one delegate, not one per request
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, RateLimitClient>(context => Partition(context, exemption, newBucket));
        });
        return services;
    }

    /// <summary>Whole tokens per period: 50/s is 50 every second, 0.5/s one every 2 s.</summary>
    internal static TokenBucketRateLimiterOptions Bucket(RateLimitOptions options)
    {
        var tokens = Math.Max(1, (int)Math.Round(options.PermitsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / options.PermitsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static RateLimitPartition<RateLimitClient> Partition(HttpContext context, RateLimitExemption exemption, Func<RateLimitClient, RateLimiter> newBucket)
    {
        if (exemption.Applies(context))
        {
            return RateLimitPartition.GetNoLimiter(RateLimitClient.Unlimited);
        }

        // Without a principal or an address there is no client to tell apart: one shared bucket would let one
        // caller starve every other, so such requests are not limited (over TCP every request has an address).
        return RateLimitClient.Of(context) is { } client
            ? RateLimitPartition.Get(client, newBucket)
            : RateLimitPartition.GetNoLimiter(RateLimitClient.Unlimited);
    }

    private static async ValueTask RejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client is over its rate limit; retry after {seconds} s.",
            },
        });
    }
}
