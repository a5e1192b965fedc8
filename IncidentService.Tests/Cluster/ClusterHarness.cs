using System.Globalization;
using System.Net;
using IncidentService.Simulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentService.Tests.Cluster;

/// <summary>
/// A cluster on loopback: the upstream simulator (latency scaled down), a real redis-server, and replicas of the service
/// in their own processes, configured with short intervals and a short lease so that failover fits in a test.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    /// <summary>The cluster's <c>Snapshot:SigningKey</c>: 32 bytes, 0 to 31.</summary>
    public static readonly byte[] SigningKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private readonly List<Replica> _replicas = [];
    private readonly Dictionary<string, RedisProxy> _proxies = [];
    private readonly IReadOnlyDictionary<string, string> _overrides;
    private readonly bool _behindProxies;
    private bool _upstreamStopped;

    private ClusterHarness(UpstreamSimulator simulator, RedisServer redis, IReadOnlyDictionary<string, string> overrides, bool behindProxies) =>
        (Simulator, Redis, _overrides, _behindProxies) = (simulator, redis, overrides, behindProxies);

    public UpstreamSimulator Simulator { get; }

    public RedisServer Redis { get; }

    public IReadOnlyList<Replica> Replicas => _replicas;

    /// <param name="replicas">How many replicas to start.</param>
    /// <param name="latencyScale">The simulator's latency scale: higher keeps the poller's requests in flight longer.</param>
    /// <param name="behindProxies">Each replica reaches Redis through its own <see cref="RedisProxy"/>, to be partitioned.</param>
    /// <param name="settings">Settings that replace or add to the harness's own.</param>
    public static async Task<ClusterHarness> StartAsync(int replicas, double latencyScale = 0.02, bool behindProxies = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var simulator = await StartSimulatorAsync(latencyScale);
        var harness = new ClusterHarness(simulator, await RedisServer.StartAsync(), settings ?? new Dictionary<string, string>(), behindProxies);
        for (var i = 1; i <= replicas; i++)
        {
            harness.StartReplica($"replica-{i}");
        }

        return harness;
    }

    public Replica StartReplica(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = Settings();
        if (_behindProxies)
        {
            var proxy = new RedisProxy(Redis.Port);
            _proxies[name] = proxy;
            all["Redis:Configuration"] = proxy.Configuration;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var replica = Replica.Start(name, all);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>The upstream goes away: connections are refused from now on.</summary>
    public async Task StopUpstreamAsync()
    {
        await Simulator.DisposeAsync();
        _upstreamStopped = true;
    }

    /// <summary>The replica's link to Redis (with <c>behindProxies</c>).</summary>
    public RedisProxy ProxyOf(Replica replica) => _proxies[replica.Name];

    public IEnumerable<Replica> Running => _replicas.Where(r => !r.Exited);

    /// <summary>Exactly one running replica leads and every other follows it; returns the leader.</summary>
    public async Task<Replica> WaitForLeaderAsync(TimeSpan? deadline = null)
    {
        Replica? leader = null;
        await WaitUntilAsync(
            async () =>
            {
                var roles = await Task.WhenAll(Running.Select(async r => (Replica: r, Role: await r.RoleAsync())));
                var leaders = roles.Where(r => r.Role == "leader").ToList();
                leader = leaders.Count == 1 && roles.All(r => r.Role is "leader" or "follower") ? leaders[0].Replica : null;
                return leader is not null;
            },
            deadline ?? TimeSpan.FromSeconds(60),
            "one leader and followers");
        return leader!;
    }

    /// <summary>Every running replica answers 200 with the same ETag and the same bytes; returns that ETag.</summary>
    public async Task<string> WaitForSameSnapshotAsync(TimeSpan? deadline = null)
    {
        string? tag = null;
        await WaitUntilAsync(
            async () =>
            {
                var answers = await Task.WhenAll(Running.Select(r => r.IncidentsAsync()));
                var same = answers.All(a => a.Status == HttpStatusCode.OK && a.ETag == answers[0].ETag && a.Body.AsSpan().SequenceEqual(answers[0].Body));
                tag = same ? answers[0].ETag : null;
                return same;
            },
            deadline ?? TimeSpan.FromSeconds(60),
            "the same snapshot on every replica");
        return tag!;
    }

    /// <summary>Polls a condition; the deadline only bounds a broken test, and its message carries every replica's log.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > deadline)
            {
                throw new TimeoutException($"No {what} within {deadline.TotalSeconds} s.\n{Logs()}");
            }

            await Task.Delay(50);
        }
    }

    public string Logs() => string.Join('\n', _replicas.Select(r => r.Tail()));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }

        await Redis.DisposeAsync();
        if (!_upstreamStopped)
        {
            await Simulator.DisposeAsync();
        }
    }

    private static Task<UpstreamSimulator> StartSimulatorAsync(double latencyScale) =>
        UpstreamSimulator.StartAsync(new SimulatorOptions { LatencyScale = latencyScale }, NullLoggerFactory.Instance, TimeProvider.System, "http://127.0.0.1:0", CancellationToken.None);

    private Dictionary<string, string> Settings()
    {
        var settings = Defaults();
        foreach (var (key, value) in _overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private Dictionary<string, string> Defaults() => new()
    {
        ["Upstream:BaseUrl"] = Simulator.BaseAddress.ToString(),
        ["Upstream:Username"] = Simulator.Options.Username!,
        ["Upstream:Password"] = Simulator.Options.Password!,
        ["Upstream:AttemptTimeout"] = "00:00:01",
        ["Upstream:TotalTimeout"] = "00:00:02",
        ["Upstream:RetryDelay"] = "00:00:00.100",
        ["Refresh:Interval"] = "00:00:03",
        ["Refresh:RetryBackoff"] = "00:00:01",
        ["Refresh:ServeIncompleteAfter"] = "00:00:05",
        ["Redis:Configuration"] = Redis.Configuration,
        ["Snapshot:SigningKey"] = Convert.ToBase64String(SigningKey),
        ["Cluster:LeaseDuration"] = Lease.ToString("c", CultureInfo.InvariantCulture),
        ["Cluster:CheckInterval"] = "00:00:00.500",
        ["Auth:AllowAnonymous"] = "true",
    };
}
