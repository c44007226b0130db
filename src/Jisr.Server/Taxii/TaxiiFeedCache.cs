using Jisr.Exchange.Taxii;

namespace Jisr.Server.Taxii;

/// <summary>
/// The objects of a collection as last computed for one caller, so that paging through it (100 pages for 100,000
/// objects) does not rebuild the whole export for every page, which made a pull quadratic. An entry is used only while
/// its stamp (the caller, the agreement's state, the identities and versions of every record and the received objects
/// the collection is made from) is unchanged, and for at most <see cref="MaxAge"/>: what depends on the clock alone (a
/// retention running out, an agreement's end date) shows within that time, any change of data at once.
/// </summary>
/// <remarks>
/// A pull longer than <see cref="MaxAge"/> used to stop half-way while a page rebuilt the collection (13-19 s for
/// 100,000 objects). Now a page that finds its entry near the end of its life (less than twice its build time left, and
/// at least half of it gone) starts a rebuild in the background and is served the entry it found; the rebuilt entry
/// replaces it when ready, so paging goes on without waiting. A page that comes after the entry ended, while that
/// rebuild runs under the same stamp, waits for it rather than starting a second one.
/// </remarks>
public sealed class TaxiiFeedCache(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    /// <summary>Few entries: each holds a whole collection (a pull pages through one at a time).</summary>
    private const int Capacity = 8;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Refresh> _refreshes = new(StringComparer.Ordinal);

    private sealed record Entry(string Stamp, DateTimeOffset BuiltAt, TimeSpan BuildTime, TaxiiObjectSet Objects)
    {
        /// <summary>From when a page starts the next build: early enough for it to be ready before this entry ends.</summary>
        public DateTimeOffset RefreshFrom
        {
            get
            {
                var ahead = BuiltAt + MaxAge - (2 * BuildTime);
                var half = BuiltAt + (MaxAge / 2);
                return ahead > half ? ahead : half;
            }
        }
    }

    /// <summary>A background rebuild under <see cref="Stamp"/>; its task ends with the new entry, or null when the build failed.</summary>
    private sealed record Refresh(string Stamp, Task<Entry?> Done);

    /// <summary>
    /// The cached objects for <paramref name="key"/> if built under the same stamp less than <see cref="MaxAge"/> ago,
    /// else built now. <paramref name="refresh"/> (optional) is the same build detached from the caller (its own
    /// services and database context, no cancellation by the caller), run in the background near the entry's end.
    /// </summary>
    public async Task<TaxiiObjectSet> GetAsync(string key, string stamp, Func<Task<List<TaxiiObject>>> build, Func<Task<List<TaxiiObject>>>? refresh = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Stamp == stamp && Alive(entry, now))
        {
            if (refresh is not null && now >= entry.RefreshFrom)
            {
                StartRefresh(key, stamp, refresh);
            }

            return entry.Objects;
        }

        if (_refreshes.TryGetValue(key, out var running) && running.Stamp == stamp && await running.Done is { } refreshed)
        {
            return refreshed.Objects; // built since this page asked for it, under the stamp it read
        }

        var made = await BuildAsync(stamp, build);
        Keep(key, made, made.BuiltAt);
        return made.Objects;
    }

    private static bool Alive(Entry entry, DateTimeOffset now) => now - entry.BuiltAt < MaxAge && now >= entry.BuiltAt;

    private async Task<Entry> BuildAsync(string stamp, Func<Task<List<TaxiiObject>>> build)
    {
        var started = time.GetUtcNow();
        var objects = new TaxiiObjectSet(await build()); // in page order, indexed by id: a page costs a page
        var ready = time.GetUtcNow(); // the entry's life starts when it is ready: a big collection can take longer to build than MaxAge
        return new Entry(stamp, ready, ready > started ? ready - started : TimeSpan.Zero, objects);
    }

    private void StartRefresh(string key, string stamp, Func<Task<List<TaxiiObject>>> refresh)
    {
        var done = new TaskCompletionSource<Entry?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var claim = new Refresh(stamp, done.Task);
        if (!_refreshes.TryAdd(key, claim))
        {
            return; // one rebuild per key at a time
        }

        var startedAt = time.GetUtcNow();
        _ = Task.Run(async () =>
        {
            Entry? made = null;
            try
            {
                made = await BuildAsync(stamp, refresh);
                Keep(key, made, startedAt);
            }
#pragma warning disable CA1031 // A failed background build changes nothing: the next page after the entry ends builds in its own request.
            catch (Exception)
#pragma warning restore CA1031
            {
                made = null;
            }
            finally
            {
                _refreshes.TryRemove(KeyValuePair.Create(key, claim));
                done.SetResult(made);
            }
        });
    }

    /// <summary>Keeps <paramref name="made"/> unless an entry built after <paramref name="startedAt"/> is there already.</summary>
    private void Keep(string key, Entry made, DateTimeOffset startedAt)
    {
        _entries.AddOrUpdate(key, made, (_, held) => held.BuiltAt > startedAt ? held : made);
        var now = time.GetUtcNow();
        foreach (var stale in _entries.Where(e => !Alive(e.Value, now)).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(stale, out _);
        }

        while (_entries.Count > Capacity && _entries.MinBy(e => e.Value.BuiltAt) is { Key: var oldest })
        {
            _entries.TryRemove(oldest, out _);
        }
    }
}
