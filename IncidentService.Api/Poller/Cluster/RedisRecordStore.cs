using System.Globalization;
using IncidentService.Api.Snapshots;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentService.Api.Poller.Cluster;

/// <summary>
/// The cluster's state in Redis: the poller lease (<c>lease</c>: "generation holder", with an expiry), the fencing
/// generation counter, the latest record and its publish number, and the channel that announces each publish.
/// Every step that must be atomic is one Lua script, so a replica whose lease has passed can never write.
/// </summary>
/// <remarks>
/// Hand-written rather than DistributedLock.Redis: the fencing generation has to be taken in the same atomic step as
/// the lease and checked in the same step as each write, the holder's name has to be readable by followers, and the
/// timing has to run on the injected clock; the lock library offers none of the three.
/// </remarks>
internal sealed class RedisRecordStore(
    IConnectionMultiplexer redis,
    IOptions<ClusterOptions> options,
    ClusterBoard board,
    ClusterMetrics metrics,
    ILogger<RedisRecordStore> logger)
{
    // KEYS[1] lease, KEYS[2] generation, KEYS[3] lease expiry; ARGV[1] holder, ARGV[2] lease ms, ARGV[3] the highest
    // generation this replica has seen (a Redis that lost its data must not hand out an old generation again), ARGV[4]
    // the largest plausible generation (a counter above it is foreign and starts over). Returns {generation, wait ms},
    // generation 0 when taken; wait is how long the previous lease may still run: 0 when its expiry is known to have
    // passed, the rest of it when its key was lost early, a whole lease when nothing proves it gone (FLUSHALL).
    private const string AcquireScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return {0, 0} end
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local lease = tonumber(ARGV[2])
        local expires = tonumber(redis.call('GET', KEYS[3]) or '')
        local wait = lease
        if expires then wait = math.min(lease, math.max(0, expires - now)) end
        local current = tonumber(redis.call('GET', KEYS[2]) or '0')
        if current == nil or current < 0 or current >= tonumber(ARGV[4]) then current = 0 end
        local generation = math.max(current, tonumber(ARGV[3])) + 1
        redis.call('SET', KEYS[2], generation)
        redis.call('SET', KEYS[1], generation .. ' ' .. ARGV[1], 'PX', lease)
        redis.call('SET', KEYS[3], now + lease)
        return {generation, wait}
        """;

    // KEYS[1] lease, KEYS[2] lease expiry; ARGV[1] token, ARGV[2] lease ms. 1 when renewed, 0 when the lease is no longer this token's.
    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        local time = redis.call('TIME')
        redis.call('SET', KEYS[2], tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[2]))
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        """;

    // KEYS[1] lease, KEYS[2] lease expiry; ARGV[1] token. A lease handed back is known to be over from now on.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        local time = redis.call('TIME')
        redis.call('SET', KEYS[2], tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
        return redis.call('DEL', KEYS[1])
        """;

    // KEYS[1] lease, KEYS[2] record, KEYS[3] version, KEYS[4] record generation; ARGV[1] token, ARGV[2] generation,
    // ARGV[3] record, ARGV[4] channel, ARGV[5] the highest publish number this replica has seen. The publish number,
    // or -1 when the lease is not this token's or a newer generation has written already (fencing). ARGV[6] the largest
    // plausible number: a counter above it is foreign and starts over rather than fence every writer out.
    private const string PublishScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
        local limit = tonumber(ARGV[6])
        local written = tonumber(redis.call('GET', KEYS[4]) or '0')
        if written == nil or written >= limit then written = 0 end
        if written > tonumber(ARGV[2]) then return -1 end
        local current = tonumber(redis.call('GET', KEYS[3]) or '0')
        if current == nil or current < 0 or current >= limit then current = 0 end
        local version = math.max(current, tonumber(ARGV[5])) + 1
        redis.call('SET', KEYS[3], version)
        redis.call('SET', KEYS[2], ARGV[3])
        redis.call('SET', KEYS[4], ARGV[2])
        redis.call('PUBLISH', ARGV[4], version)
        return version
        """;

    private readonly string _prefix = options.Value.KeyPrefix;

    private RedisKey Lease => _prefix + "lease";

    private RedisKey GenerationCounter => _prefix + "generation";

    private RedisKey Record => _prefix + "record";

    private RedisKey LeaseExpiry => _prefix + "lease-expiry";

    private RedisKey RecordVersion => _prefix + "record-version";

    private RedisKey RecordGeneration => _prefix + "record-generation";

    private RedisChannel Published => RedisChannel.Literal(_prefix + "published");

    private IDatabase Database => redis.GetDatabase();

    /// <summary>The new lease (its generation above <paramref name="seen"/>), or null while another replica holds it.</summary>
    public Task<LeaseGrant?> TryAcquireAsync(string holder, TimeSpan duration, long seen) => Run("acquire", async () =>
    {
        var floor = Core.Records.RecordLimits.Floor(seen, Core.Records.RecordLimits.MaxGeneration);
        var reply = (RedisResult[])(await Database.ScriptEvaluateAsync(
            AcquireScript,
            [Lease, GenerationCounter, LeaseExpiry],
            [holder, (long)duration.TotalMilliseconds, floor, Core.Records.RecordLimits.MaxGeneration]))!;
        var generation = (long)reply[0];
        return generation > 0 ? new LeaseGrant(generation, TimeSpan.FromMilliseconds((long)reply[1])) : null;
    });

    public Task<bool> RenewAsync(string token, TimeSpan duration) => Run("renew", async () =>
        (long)await Database.ScriptEvaluateAsync(RenewScript, [Lease, LeaseExpiry], [token, (long)duration.TotalMilliseconds]) == 1);

    public Task ReleaseAsync(string token) => Run("release", async () =>
        (long)await Database.ScriptEvaluateAsync(ReleaseScript, [Lease, LeaseExpiry], [token]));

    /// <summary>Who holds the lease now, by name; null when nobody does.</summary>
    public Task<string?> HolderAsync() => Run("holder", async () =>
    {
        var value = (string?)await Database.StringGetAsync(Lease);
        return value?.Split(' ', 2) is [_, var holder] ? holder : null;
    });

    /// <summary>The publish number, or null when refused: this token no longer holds the lease, or a newer generation wrote.</summary>
    public Task<long?> PersistAsync(string token, long generation, byte[] record, long seenVersion) => Run("publish", async () =>
    {
        var version = (long)await Database.ScriptEvaluateAsync(
            PublishScript,
            [Lease, Record, RecordVersion, RecordGeneration],
            [token, generation, record, Published.ToString(), Core.Records.RecordLimits.Floor(seenVersion, Core.Records.RecordLimits.MaxPublishNumber), Core.Records.RecordLimits.MaxPublishNumber]);
        return version > 0 ? version : (long?)null;
    });

    public Task<long?> ReadVersionAsync() => Run("check", async () =>
        Plausible(await Database.StringGetAsync(RecordVersion)));

    /// <summary>The latest record and its publish number, read together; null when none was published.</summary>
    public Task<(long Version, byte[] Record)?> ReadLatestAsync() => Run("read", async () =>
    {
        var values = await Database.StringGetAsync([RecordVersion, Record]);
        return values is [var version, { IsNull: false } record] && Plausible(version) is { } number
            ? (number, (byte[])record!)
            : ((long, byte[])?)null;
    });

    public Task SubscribeAsync(Action onPublished) => Run("subscribe", async () =>
    {
        await redis.GetSubscriber().SubscribeAsync(Published, (_, _) => onPublished());
        return true;
    });

    /// <summary>A lease taken: its fencing generation, and how long the previous lease may still run (see <see cref="AcquireScript"/>).</summary>
    public sealed record LeaseGrant(long Generation, TimeSpan Unproven);

    public static string Token(long generation, string holder) => generation.ToString(CultureInfo.InvariantCulture) + " " + holder;

    /// <summary>The number of the record published last; null when none was, or when it is not a plausible number.</summary>
    private static long? Plausible(RedisValue value) =>
        value.TryParse(out long number) && number is > 0 and <= Core.Records.RecordLimits.MaxPublishNumber ? number : null;

    /// <summary>Runs one operation, keeping the board's reachability and the error count true; a failure propagates as <see cref="RedisUnavailableException"/>.</summary>
    private async Task<T> Run<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            if (board.View.RedisReachable != true)
            {
                board.Update(view => view with { RedisReachable = true, RedisError = null });
                logger.Reachable();
            }

            return result;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            metrics.RedisFailed(operation);
            var error = $"{operation}: {exception.GetType().Name}";
            if (board.View.RedisReachable != false)
            {
                logger.Unreachable(operation, exception.Message);
            }

            board.Update(view => view with { RedisReachable = false, RedisError = error });
            throw new RedisUnavailableException(operation, exception);
        }
    }
}
