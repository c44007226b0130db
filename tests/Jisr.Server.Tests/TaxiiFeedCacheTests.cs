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
}
