using System.Diagnostics.Metrics;
using IncidentService.Api.Hosting;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Poller.Refresh;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Telemetry;
using IncidentService.Api.Web.Serving;
using IncidentService.Core;
using IncidentService.Core.Records;
using IncidentService.Tests.Upstream;
using IncidentService.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentService.Tests.Refresh;

/// <summary>A real refresher over the real client, with the network stubbed and time faked.</summary>
internal sealed class RefresherHarness : IAsyncDisposable
{
    public RefresherHarness(StubUpstreamHandler stub, int maxConcurrency = 3, IPollerCoordination? coordination = null, ILogger<SnapshotRefresher>? logger = null)
    {
        Provider = UpstreamHarness.Build(stub, maxConcurrency);
        var options = Options.Create(new RefreshOptions { Interval = TimeSpan.FromSeconds(30), MaxConcurrency = maxConcurrency });
        Served = new ServedSnapshots(Time);
        Store = new SnapshotStore([Served]);
        var meters = Provider.GetRequiredService<IMeterFactory>();
        Metrics = new IncidentMetrics(meters);
        coordination ??= new SingleProcessCoordination(
            Options.Create(new SnapshotFileOptions()), Options.Create(new ClusterOptions()), Options.Create(new UpstreamOptions()), FeedDefinition.Defaults, RecordSeal.Checksum, new ClusterMetrics(meters, Cluster), NullLogger<SingleProcessCoordination>.Instance);
        var installer = new RecordInstaller(Store, Board, Cluster, new ClusterMetrics(meters, Cluster), Time, NullLogger<RecordInstaller>.Instance);
        Refresher = new SnapshotRefresher(
            Provider.GetRequiredService<IServiceScopeFactory>(),
            FeedDefinition.Defaults,
            Store,
            Board,
            new RefreshMetrics(Metrics),
            options,
            coordination,
            installer,
            Time,
            logger ?? NullLogger<SnapshotRefresher>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public ServiceProvider Provider { get; }

    public SnapshotStore Store { get; }

    /// <summary>What the web side serves from <see cref="Store"/>.</summary>
    public ServedSnapshots Served { get; }

    public FeedBoard Board { get; } = new();

    public ClusterBoard Cluster { get; } = new(ClusterRole.Alone);

    public SnapshotRefresher Refresher { get; }

    public IncidentMetrics Metrics { get; }

    public async ValueTask DisposeAsync()
    {
        Refresher.Dispose();
        await Provider.DisposeAsync();
    }
}
