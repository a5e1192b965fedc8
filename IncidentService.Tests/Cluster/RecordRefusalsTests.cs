using System.Diagnostics.Metrics;
using IncidentService.Api.Poller.Cluster;
using IncidentService.Api.Snapshots;
using IncidentService.Core.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace IncidentService.Tests.Cluster;

public sealed class RecordRefusalsTests
{
    [Fact]
    public void A_refused_record_is_logged_and_counted_once_however_often_a_follower_meets_it()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        using var counted = new MetricCollector<long>(meters, "IncidentService", "incidents.cluster.records.rejected");
        var log = new FakeLogger<RecordRefusals>();
        var refusals = new RecordRefusals(new ClusterMetrics(meters, new ClusterBoard(ClusterRole.Follower)), log);
        var forged = new RecordRejected(RecordRejection.Seal, "signature does not verify");

        for (var check = 0; check < 10; check++)
        {
            refusals.Refuse(5, forged);
        }

        refusals.Refuse(6, forged); // another record: news again

        Assert.Equal(2, log.Collector.GetSnapshot().Count(l => l.Id.Id == 312));
        Assert.Equal(2, counted.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(counted.GetMeasurementSnapshot(), m => Assert.Equal("seal", m.Tags["reason"]));
        Assert.True(refusals.Refused(6));
        Assert.False(refusals.Refused(5));
    }
}
