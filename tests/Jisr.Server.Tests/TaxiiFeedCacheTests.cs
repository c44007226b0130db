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
        Task<TaxiiObjectSet> Build()
        {
            builds++;
            return Task.FromResult(new TaxiiObjectSet([Item("indicator--b", 2), Item("indicator--a", 1), Item("indicator--c", 1)]));
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

    [Fact]
    public async Task RequestsThatComeWhileTheSetIsBuilt_ShareThatBuild_AFailedBuildIsTriedAgain_AndANewStampIsNotServedTheOldBuild()
    {
        var cache = new TaxiiFeedCache(new AdjustableClock(Start));
        var builds = 0;
        var release = new TaskCompletionSource<TaxiiObjectSet>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<TaxiiObjectSet> Slow()
        {
            Interlocked.Increment(ref builds);
            return release.Task;
        }

        static Task<TaxiiObjectSet> Quick() => Task.FromResult(new TaxiiObjectSet([Item("indicator--q", 1)]));

        var first = cache.GetAsync("served|u|a", "stamp-1", Slow);
        var second = cache.GetAsync("served|u|a", "stamp-1", Slow); // a look-ahead and the first page, say
        Assert.Same(await cache.GetAsync("served|u|c", "stamp-1", Quick), await cache.GetAsync("served|u|c", "stamp-1", Slow)); // kept once its build ended
        var changedBuilds = 0;
        Task<TaxiiObjectSet> Changed()
        {
            changedBuilds++;
            return Task.FromResult(new TaxiiObjectSet([Item("indicator--z", 1)]));
        }

        var changed = cache.GetAsync("served|u|a", "stamp-2", Changed).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["indicator--z"], (await changed).Select(o => o.Id)); // data changed meanwhile: built for itself
        Assert.False(first.IsCompleted);
        release.SetResult(new TaxiiObjectSet([Item("indicator--a", 1)]));
        Assert.Same(await first, await second);
        Assert.Equal(1, builds);

        // The old stamp's build, ending after the new one's, answered its own requests but did not replace the newer
        // data's entry: the next page under the new stamp is served from memory.
        Assert.Same(await changed, await cache.GetAsync("served|u|a", "stamp-2", Changed));
        Assert.Equal(1, changedBuilds);

        var failing = 0;
        Task<TaxiiObjectSet> Fails()
        {
            failing++;
            throw new InvalidOperationException("the database went away");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync("served|u|b", "stamp-1", Fails));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync("served|u|b", "stamp-1", Fails));
        Assert.Equal(2, failing); // not kept: the next request builds again
    }

    [Fact]
    public async Task AnEntryBuiltBeforeTheClockWentBack_IsKept_AndAnsweredOnceTheClockReachesItsTimeAgain()
    {
        var clock = new AdjustableClock(Start);
        var cache = new TaxiiFeedCache(clock);
        var builds = 0;
        Task<TaxiiObjectSet> Build()
        {
            builds++;
            return Task.FromResult(new TaxiiObjectSet([Item("indicator--a", 1)]));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var kept = await cache.GetAsync("served|u|a", "stamp-1", Build);
        clock.Advance(TimeSpan.FromSeconds(-1)); // another request's clock reading was earlier (or the clock was set back)
        await cache.GetAsync("served|u|b", "stamp-1", Build); // its build sweeps the entries
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Same(kept, await cache.GetAsync("served|u|a", "stamp-1", Build));
        Assert.Equal(2, builds);
    }
}
