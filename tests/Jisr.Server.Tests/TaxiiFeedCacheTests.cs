using Jisr.Exchange.Taxii;
using Jisr.Server.Taxii;
using Jisr.Testing;

namespace Jisr.Server.Tests;

/// <summary>
/// The cache that keeps paging through a collection from rebuilding it for every page: it answers from memory only
/// under the same stamp (nothing it is made from changed) and for at most a minute, and it keeps pages in order.
/// </summary>
public sealed class TaxiiFeedCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static TaxiiObject Item(string id, int minute) =>
        new(id, "indicator", "2026-03-01T10:00:00.000Z", "2.1", Start.AddMinutes(minute), "{}");

    [Fact]
    public async Task SameStamp_IsBuiltOnce_AChangedStampOrAMinuteLater_IsBuiltAgain_AndTheObjectsComeInPageOrder()
    {
        var clock = new AdjustableClock(Start);
        var cache = new TaxiiFeedCache(clock);
        var builds = 0;
        Task<List<TaxiiObject>> Build()
        {
            builds++;
            return Task.FromResult(new List<TaxiiObject> { Item("indicator--b", 2), Item("indicator--a", 1), Item("indicator--c", 1) });
        }

        var first = await cache.GetAsync("served|u|a", "stamp-1", Build);
        await cache.GetAsync("served|u|a", "stamp-1", Build);
        Assert.Equal(1, builds);
        Assert.Equal(["indicator--a", "indicator--c", "indicator--b"], first.Select(o => o.Id));

        await cache.GetAsync("served|u|a", "stamp-2", Build); // a record added, changed or deleted
        Assert.Equal(2, builds);
        await cache.GetAsync("served|other-user|a", "stamp-2", Build); // another caller never gets this one's answer
        Assert.Equal(3, builds);

        clock.Advance(TaxiiFeedCache.MaxAge);
        await cache.GetAsync("served|u|a", "stamp-2", Build);
        Assert.Equal(4, builds);
    }

    /// <summary>
    /// A pull longer than the entry's life: near its end a page starts one rebuild in the background and is answered
    /// at once from the entry it found; a page after the end waits for that rebuild instead of building a second time;
    /// the entry is never served past <see cref="TaxiiFeedCache.MaxAge"/>.
    /// </summary>
    [Fact]
    public async Task NearItsEnd_APageStartsOneBackgroundRebuild_AndAPageAfterTheEnd_GetsItWithoutBuildingAgain()
    {
        var clock = new AdjustableClock(Start);
        var cache = new TaxiiFeedCache(clock);
        var builds = 0;
        Task<List<TaxiiObject>> Build()
        {
            builds++;
            clock.Advance(TimeSpan.FromSeconds(10)); // a big collection: ten seconds to build
            return Task.FromResult(new List<TaxiiObject> { Item("indicator--a", 1) });
        }

        var refreshes = 0;
        var rebuilt = new TaskCompletionSource<List<TaxiiObject>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<List<TaxiiObject>> Refresh()
        {
            Interlocked.Increment(ref refreshes);
            return rebuilt.Task;
        }

        var first = await cache.GetAsync("served|u|a", "s", Build, Refresh);
        Assert.Equal(1, builds);

        // Half its life gone, but more than twice its build time left: no rebuild yet.
        clock.Advance(TimeSpan.FromSeconds(35));
        Assert.Same(first, await cache.GetAsync("served|u|a", "s", Build, Refresh));
        Assert.Equal(0, Volatile.Read(ref refreshes));

        // Less than twice its build time left: this page and the next are answered from the entry, one rebuild starts.
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Same(first, await cache.GetAsync("served|u|a", "s", Build, Refresh));
        Assert.Same(first, await cache.GetAsync("served|u|a", "s", Build, Refresh));
        await WaitUntilAsync(() => Volatile.Read(ref refreshes) == 1);

        // The entry ended while the rebuild runs: the page waits for it, no build of its own.
        clock.Advance(TimeSpan.FromSeconds(20));
        var waiting = cache.GetAsync("served|u|a", "s", Build, Refresh);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        rebuilt.SetResult([Item("indicator--a", 1), Item("indicator--b", 2)]);
        var second = await waiting;
        Assert.Equal(["indicator--a", "indicator--b"], second.Select(o => o.Id));
        Assert.Equal(1, builds);
        Assert.Equal(1, Volatile.Read(ref refreshes));
        Assert.Same(second, await cache.GetAsync("served|u|a", "s", Build, Refresh));

        // Past MaxAge with no page in between: never served, built again in the request.
        clock.Advance(TaxiiFeedCache.MaxAge);
        var third = await cache.GetAsync("served|u|a", "s", Build);
        Assert.NotSame(second, third);
        Assert.Equal(2, builds);
    }

    /// <summary>A rebuild started under a stamp that has since changed is not waited for, and a page waiting for a rebuild that fails builds in its own request.</summary>
    [Fact]
    public async Task ARebuildUnderAnOldStamp_IsNotWaitedFor_AndAFailedRebuild_FallsBackToBuildingInTheRequest()
    {
        var clock = new AdjustableClock(Start);
        var cache = new TaxiiFeedCache(clock);
        var builds = 0;
        Task<List<TaxiiObject>> Build()
        {
            builds++;
            clock.Advance(TimeSpan.FromSeconds(20));
            return Task.FromResult(new List<TaxiiObject> { Item("indicator--a", 1) });
        }

        var stale = new TaskCompletionSource<List<TaxiiObject>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await cache.GetAsync("k", "old", Build, () => stale.Task);
        clock.Advance(TimeSpan.FromSeconds(31));
        await cache.GetAsync("k", "old", Build, () => stale.Task); // starts a rebuild under "old"

        var changed = await cache.GetAsync("k", "new", Build, () => stale.Task); // data changed: built now, not waiting for that rebuild
        Assert.Equal(2, builds);
        stale.SetResult([Item("indicator--old", 1)]);
        await Task.Delay(50);
        Assert.Same(changed, await cache.GetAsync("k", "new", Build)); // the older rebuild did not replace the newer entry

        var failing = new TaskCompletionSource<List<TaxiiObject>>(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Same(changed, await cache.GetAsync("k", "new", Build, () => failing.Task)); // starts a rebuild under "new"
        clock.Advance(TimeSpan.FromSeconds(30));
        var waiting = cache.GetAsync("k", "new", Build, () => failing.Task);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        failing.SetException(new InvalidOperationException("the database went away"));
        var built = await waiting;
        Assert.NotSame(changed, built);
        Assert.Equal(3, builds);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
