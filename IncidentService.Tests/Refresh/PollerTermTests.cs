using IncidentService.Api.Poller.Cluster;
using IncidentService.Core.Records;
using Moq;

namespace IncidentService.Tests.Refresh;

/// <summary>The refresher polls only during a term of its own, and nothing of a term that ended is handed on.</summary>
public sealed class PollerTermTests
{
    [Fact]
    public async Task A_term_lost_mid_cycle_abandons_that_cycle_and_the_next_term_polls_and_publishes_under_its_own_generation()
    {
        var upstream = new FakeUpstream { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var firstTerm = new CancellationTokenSource();
        var secondTerm = new TaskCompletionSource<PollerTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
        var coordination = new Mock<IPollerCoordination>(MockBehavior.Strict);
        var terms = new Queue<Task<PollerTerm>>([Task.FromResult(new PollerTerm(1, "replica-a", firstTerm.Token)), secondTerm.Task]);
        coordination.Setup(c => c.AwaitTermAsync(It.IsAny<CancellationToken>())).Returns<CancellationToken>(ct => terms.Dequeue().WaitAsync(ct));
        coordination.Setup(c => c.PersistAsync(It.IsAny<PollerTerm>(), It.IsAny<RefreshRecord>(), It.IsAny<CancellationToken>())).ReturnsAsync(PersistOutcome.Persisted);
        coordination.Setup(c => c.ReadLatestAsync(It.IsAny<CancellationToken>())).ReturnsAsync((StoredRecord?)null);
        await using var harness = new RefresherHarness(upstream.Handler, coordination: coordination.Object);
        await harness.Refresher.StartAsync(CancellationToken.None);

        // The first term's cycle is in flight at the upstream when the lease is lost.
        await Wait.UntilAsync(() => upstream.Handler.InFlight == 3);
        await firstTerm.CancelAsync();
        await Wait.UntilAsync(() => harness.Refresher.ExecuteTask is not null && coordination.Invocations.Count(i => i.Method.Name == nameof(IPollerCoordination.AwaitTermAsync)) == 2);
        // The requests given up on keep their slots until the upstream is done with them (Upstream:AbandonedAttemptHold).
        upstream.Gate.SetResult();
        await Wait.UntilAsync(() => upstream.Handler.InFlight == 0);

        Assert.Null(harness.Store.Current);
        Assert.Null(harness.Board.LastCycle);
        coordination.Verify(c => c.PersistAsync(It.IsAny<PollerTerm>(), It.IsAny<RefreshRecord>(), It.IsAny<CancellationToken>()), Times.Never);
        var requestsOfFirstTerm = upstream.Handler.Requests.Count;

        // Following, it polls nothing; a new term polls at once and hands its record on under generation 2.
        secondTerm.SetResult(new PollerTerm(2, "replica-a", CancellationToken.None));
        await Wait.UntilAsync(() => harness.Board.LastCycle is not null);

        Assert.Equal(requestsOfFirstTerm + 8, upstream.Handler.Requests.Count);
        Assert.NotNull(harness.Store.Current);
        coordination.Verify(
            c => c.PersistAsync(
                It.Is<PollerTerm>(t => t.Generation == 2),
                It.Is<RefreshRecord>(r => r.Generation == 2 && r.Holder == "replica-a" && r.Snapshot == harness.Store.Current),
                It.IsAny<CancellationToken>()),
            Times.Once);
        coordination.Verify(c => c.ReadLatestAsync(It.IsAny<CancellationToken>()), Times.Exactly(2)); // each term catches up first
        await harness.Refresher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_refused_publish_ends_polling_until_the_next_term()
    {
        var upstream = new FakeUpstream();
        using var term = new CancellationTokenSource();
        var coordination = new Mock<IPollerCoordination>(MockBehavior.Strict);
        var terms = new Queue<Task<PollerTerm>>([Task.FromResult(new PollerTerm(5, "replica-a", term.Token)), new TaskCompletionSource<PollerTerm>().Task]); // never again
        coordination.Setup(c => c.AwaitTermAsync(It.IsAny<CancellationToken>())).Returns<CancellationToken>(ct => terms.Dequeue().WaitAsync(ct));
        coordination.Setup(c => c.ReadLatestAsync(It.IsAny<CancellationToken>())).ReturnsAsync((StoredRecord?)null);
        // What the lease keeper does on a refused publish: end the term, then say so.
        coordination.Setup(c => c.PersistAsync(It.IsAny<PollerTerm>(), It.IsAny<RefreshRecord>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                term.Cancel();
                return Task.FromResult(PersistOutcome.Refused);
            });
        await using var harness = new RefresherHarness(upstream.Handler, coordination: coordination.Object);
        await harness.Refresher.StartAsync(CancellationToken.None);

        // The poll loop is left: the refresher waits for a term again instead of polling on.
        await Wait.UntilAsync(() => coordination.Invocations.Count(i => i.Method.Name == nameof(IPollerCoordination.AwaitTermAsync)) == 2);

        Assert.Equal(8, upstream.Handler.Requests.Count);
        coordination.Verify(c => c.PersistAsync(It.Is<PollerTerm>(t => t.Generation == 5), It.IsAny<RefreshRecord>(), It.IsAny<CancellationToken>()), Times.Once);
        await harness.Refresher.StopAsync(CancellationToken.None);
    }
}
