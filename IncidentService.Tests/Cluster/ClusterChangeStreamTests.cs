using IncidentService.Simulator.Faults;
using IncidentService.Tests.Live;

namespace IncidentService.Tests.Cluster;

/// <summary>The change stream on a cluster: a follower's stream hears of the snapshot the leader published.</summary>
public sealed class ClusterChangeStreamTests
{
    [Fact]
    public async Task A_change_the_leader_publishes_reaches_the_streams_of_leader_and_follower_alike()
    {
        await using var cluster = await ClusterHarness.StartAsync(2);
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Replicas.Single(r => r != leader);
        var before = await cluster.WaitForSameSnapshotAsync();
        await using var leaderStream = await EventStream.OpenAsync(leader.Client);
        await using var followerStream = await EventStream.OpenAsync(follower.Client);
        Assert.Equal(before, (await leaderStream.NextSnapshotAsync()).Id);
        Assert.Equal(before, (await followerStream.NextSnapshotAsync()).Id);

        cluster.Simulator.Faults.Set("denial", new SimulatorFault(SimulatorFaultKind.IdentitiesShrunk, 0.5));
        var fromLeader = await leaderStream.NextSnapshotAsync();
        var fromFollower = await followerStream.NextSnapshotAsync();

        Assert.NotEqual(before, fromLeader.Id);
        Assert.Equal(fromLeader.Id, fromFollower.Id);
        Assert.Equal(fromLeader.ChangedEmployees, fromFollower.ChangedEmployees);
        Assert.NotEmpty(fromFollower.ChangedEmployees);
    }
}
