using Jisr.Exchange.Taxii;

namespace Jisr.Server.Taxii;

/// <summary>
/// The objects of a collection as last computed for one caller, so that paging through it (100 pages for 100,000
/// objects) does not rebuild the whole export for every page, which made a pull quadratic. An entry is used only while
/// its stamp (the caller, the agreement's state, the identities and versions of every record and the received objects
/// the collection is made from) is unchanged, and for at most <see cref="MaxAge"/>: what depends on the clock alone (a
/// retention running out, an agreement's end date) shows within that time, any change of data at once.
/// </summary>
public sealed class TaxiiFeedCache(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    /// <summary>Few entries: each holds a whole collection (a pull pages through one at a time).</summary>
    private const int Capacity = 8;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Builds under way, one per key: a request that comes meanwhile under the same stamp waits for it.</summary>
    private readonly ConcurrentDictionary<string, Building> _building = new(StringComparer.Ordinal);

    private sealed record Entry(string Stamp, DateTimeOffset BuiltAt, TaxiiObjectSet Objects);

    private sealed record Building(string Stamp, Lazy<Task<TaxiiObjectSet>> Objects);

    /// <summary>
    /// The cached objects for <paramref name="key"/> if built under the same stamp less than <see cref="MaxAge"/> ago
    /// (and their texts not failed), else built now. A set may still be making its texts (<see cref="TaxiiObjectSet.Making"/>):
    /// the requests that come meanwhile share it and each waits for its own page only. Requests that come while the set
    /// is being built (a client that asks ahead, two pages asked for at once) share that build rather than each making
    /// the whole collection again; <paramref name="build"/> must therefore not depend on one request's cancellation.
    /// </summary>
    public async Task<TaxiiObjectSet> GetAsync(string key, string stamp, Func<Task<TaxiiObjectSet>> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Stamp == stamp && now - entry.BuiltAt < MaxAge && now >= entry.BuiltAt && !entry.Objects.IsFaulted)
        {
            return entry.Objects;
        }

        var building = _building.AddOrUpdate(
            key,
            _ => new Building(stamp, new Lazy<Task<TaxiiObjectSet>>(() => BuildAndKeepAsync(key, stamp, build))),
            (_, under) => under.Stamp == stamp ? under : new Building(stamp, new Lazy<Task<TaxiiObjectSet>>(() => BuildAndKeepAsync(key, stamp, build))));
        return await building.Objects.Value;
    }

    /// <summary>
    /// Builds and keeps the entry, once for all the requests that share the build: the entry is kept before the build
    /// stops being shared, so no request comes between the two and builds again.
    /// </summary>
    private async Task<TaxiiObjectSet> BuildAndKeepAsync(string key, string stamp, Func<Task<TaxiiObjectSet>> build)
    {
        try
        {
            var objects = await build(); // in page order, indexed by id: a page costs a page
            var now = time.GetUtcNow(); // the entry's life starts when it is built: a big collection can take longer to build than MaxAge
            _entries[key] = new Entry(stamp, now, objects);
            // Only entries that lived out their time go: one built after this clock reading (another build finishing
            // meanwhile) is not stale, and an entry from a clock that went back is never answered and goes by capacity.
            foreach (var stale in _entries.Where(e => now - e.Value.BuiltAt >= MaxAge).Select(e => e.Key).ToList())
            {
                _entries.TryRemove(stale, out _);
            }

            while (_entries.Count > Capacity && _entries.MinBy(e => e.Value.BuiltAt) is { Key: var oldest })
            {
                _entries.TryRemove(oldest, out _);
            }

            return objects;
        }
        finally
        {
            if (_building.TryGetValue(key, out var under) && under.Stamp == stamp)
            {
                _building.TryRemove(new KeyValuePair<string, Building>(key, under)); // a failed build is tried again by the next request
            }
        }
    }
}
