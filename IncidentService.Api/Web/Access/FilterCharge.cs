using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IncidentService.Api.Web.Access;

/// <summary>
/// Charges an answer built on request (a filter not asked for yet on this snapshot) to the caller's own rate-limit
/// bucket by what it costs: one more request per <see cref="RateLimitOptions.FilterBytesPerPermit"/> bytes of the
/// snapshot it reads. The request itself already took one permit; this takes the rest from the same partition, so a
/// client asking for new filters on a large snapshot runs out of its own budget before it takes the machine from
/// others. An answer already built costs one request, as any other.
/// </summary>
internal sealed class FilterCharge(IOptions<RateLimiterOptions> limiter, IOptions<RateLimitOptions> options)
{
    /// <summary>True when the caller can afford building from <paramref name="snapshotBytes"/>; else how long to wait.</summary>
    public bool TryCharge(HttpContext http, long snapshotBytes, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var settings = options.Value;
        // A bucket never holds more than Burst, and the request took one of them: more could never be granted.
        var extra = (int)Math.Min(snapshotBytes / settings.FilterBytesPerPermit, settings.Burst - 1);
        if (extra <= 0 || limiter.Value.GlobalLimiter is not { } global)
        {
            return true;
        }

        using var lease = global.AttemptAcquire(http, extra);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return false;
    }
}
