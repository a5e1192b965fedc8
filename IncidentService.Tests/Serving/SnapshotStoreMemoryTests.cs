using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using IncidentService.Api.Snapshots;
using IncidentService.Api.Web.Serving;
using IncidentService.Core;
using IncidentService.Core.Identities;
using IncidentService.Core.Ledger;
using IncidentService.Core.Parsing;
using IncidentService.Core.Snapshots;

namespace IncidentService.Tests.Serving;

public sealed class SnapshotStoreMemoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_replaced_snapshot_is_not_kept_alive_by_the_store_or_its_served_form_not_even_the_first()
    {
        var served = new ServedSnapshots(TimeProvider.System);
        var store = new SnapshotStore([served]);
        var first = InstallAndForget(store, "1.5");
        await WaitedForAsync(served); // the first-snapshot signal was used

        InstallAndForget(store, "2.5");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(first.IsAlive, "the store still references the first snapshot (and what it was built from)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task WaitedForAsync(ServedSnapshots served)
    {
        Assert.NotNull(await served.WaitServedAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference InstallAndForget(SnapshotStore store, string timestamp)
    {
        var batch = FeedBatch.Parse(new FeedDefinition("misuse", "employee_id"), Encoding.UTF8.GetBytes($$"""{"results":[{"priority":"low","employee_id":7,"timestamp":{{timestamp}}}]}"""));
        var snapshot = SnapshotBuilder.Build(new SnapshotSources([batch], IdentityDirectory.Empty, Now, ImmutableArray<string>.Empty), Now);
        store.Install(snapshot);
        return new WeakReference(snapshot);
    }
}
