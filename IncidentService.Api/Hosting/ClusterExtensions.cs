using IncidentService.Api.Configuration;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using IncidentService.Core.Records;
using IncidentService.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentService.Api.Hosting;

internal static class ClusterExtensions
{
    /// <summary>
    /// Alone (no <c>Redis:Configuration</c>) this process always polls, optionally keeping its record in
    /// <c>Snapshot:Path</c>; with Redis, the lease keeper, the follower and the warm start. Call before the refresher is
    /// registered: the warm start has to run first.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCheckedOptions<ClusterOptions, ClusterOptionsValidator>(configuration, ClusterOptions.SectionName);
        services.AddCheckedOptions<RedisOptions, RedisOptionsValidator>(configuration, RedisOptions.SectionName);
        services.AddCheckedOptions<SnapshotFileOptions, SnapshotFileOptionsValidator>(configuration, SnapshotFileOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SnapshotFileOptions>>().Value.SigningKey is { Length: > 0 } key
            ? RecordSeal.FromBase64(key)!
            : RecordSeal.Checksum);
        services.AddSingleton<ClusterMetrics>();
        services.AddSingleton<RecordInstaller>();

        var redis = configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.Configuration)}"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton(new ClusterBoard(ClusterRole.Alone));
            services.AddSingleton<IPollerCoordination, SingleProcessCoordination>();
        }
        else
        {
            services.AddSingleton(new ClusterBoard(ClusterRole.Follower));
            services.AddSingleton<IConnectionMultiplexer>(_ => Connect(redis));
            services.AddSingleton<RedisRecordStore>();
            services.AddSingleton<RecordRefusals>();
            services.AddSingleton<RedisCoordination>();
            services.AddSingleton<IPollerCoordination>(sp => sp.GetRequiredService<RedisCoordination>());
            services.AddSingleton<IUpstreamAdmission>(sp => sp.GetRequiredService<RedisCoordination>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisCoordination>());
            services.AddHostedService<RecordFollower>();
        }

        services.AddHostedService<WarmStart>();
        return services;
    }

    /// <summary>Connects in the background and keeps reconnecting: an unreachable Redis never stops the start.</summary>
    private static ConnectionMultiplexer Connect(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "incident-service";
        return ConnectionMultiplexer.Connect(options);
    }
}
