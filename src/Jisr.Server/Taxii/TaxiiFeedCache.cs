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

    /// <summary>One build under way; its task is started only for the instance the dictionary keeps (a factory of <c>AddOrUpdate</c> may run and be dropped).</summary>
    private sealed class Building
    {
        public Building(string stamp, Func<Building, Task<TaxiiObjectSet>> run)
        {
            Stamp = stamp;
            Objects = new Lazy<Task<TaxiiObjectSet>>(() => run(this));
        }

        public string Stamp { get; }

        public Lazy<Task<TaxiiObjectSet>> Objects { get; }
    }

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
        if (Kept(key, stamp) is { } kept)
        {
            return kept;
        }

        var building = _building.AddOrUpdate(
            key,
            _ => new Building(stamp, self => BuildAndKeepAsync(key, self, build)),
            (_, under) => under.Stamp == stamp ? under : new Building(stamp, self => BuildAndKeepAsync(key, self, build)));
        return await building.Objects.Value;
    }

    /// <summary>The entry kept for the key if it was built under this stamp, lived less than <see cref="MaxAge"/> and its texts did not fail.</summary>
    private TaxiiObjectSet? Kept(string key, string stamp)
    {
        if (!_entries.TryGetValue(key, out var entry) || entry.Stamp != stamp || entry.Objects.IsFaulted)
        {
            return null;
        }

        var now = time.GetUtcNow(); // read after the entry: one kept meanwhile is not taken for one from the future
        return now - entry.BuiltAt < MaxAge && now >= entry.BuiltAt ? entry.Objects : null;
    }

    /// <summary>
    /// Builds and keeps the entry, once for all the requests that share the build: the entry is kept before the build
    /// stops being shared. A build that a newer stamp's replaced meanwhile answers its own requests but keeps nothing:
    /// it would overwrite the newer data's entry and make the next page build the whole collection again.
    /// </summary>
    private async Task<TaxiiObjectSet> BuildAndKeepAsync(string key, Building self, Func<Task<TaxiiObjectSet>> build)
    {
        try
        {
            // A request that missed the entry just before the previous build kept it (and stopped being shared) starts
            // this build: the kept entry answers it.
            if (Kept(key, self.Stamp) is { } kept)
            {
                return kept;
            }

            var objects = await build(); // in page order, indexed by id: a page costs a page
            var now = time.GetUtcNow(); // the entry's life starts when it is built: a big collection can take longer to build than MaxAge
            if (_building.TryGetValue(key, out var current) && ReferenceEquals(current, self))
            {
                _entries[key] = new Entry(self.Stamp, now, objects);
            }

            // Only entries that lived out their time go: one built after this clock reading (another build finishing
            // meanwhile) is not stale, and one from a clock that went back is answered again once the clock reaches its
            // time (capacity drops it otherwise).
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
            _building.TryRemove(new KeyValuePair<string, Building>(key, self)); // this build only; a failed one is tried again by the next request
        }
    }
}
