using Jisr.Fusion.Graph;
using Microsoft.Extensions.Caching.Memory;
using FusionGraph = Jisr.Fusion.Graph.LinkGraph;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// Link graphs built for callers, with their components, cells and betweenness once computed, kept for the next query
/// over the same graph. The key is what decides what a graph holds (<c>GraphService.LoadAsync</c>): the version of
/// this process's changes to records, entities and links (<see cref="Jisr.Storage.DataChanges"/>: an entity renamed in
/// place included) and a hash of the id and version of every record the caller may read, read from the database on
/// every query, so any change of who may read what (an agreement suspended, a clearance lowered, a marking raised), by
/// this process or another, is a new key at once. Callers who may read exactly the same records share an entry: the
/// graph is a function of those records. An entry lives while it is used (a minute without a query drops it, and ten
/// minutes bound it), which is how long a change made in place by another process over the same database (an entity's
/// details, never who may see it) can go unseen. The idle minute counts from the end of a use: a computation that
/// outlasts it (betweenness at a million links on a loaded machine takes minutes) puts its entry back when it is done,
/// within the entry's ten minutes, so the next query is answered from what was computed rather than computing it again.
/// </summary>
public sealed class GraphCache(TimeProvider time) : IDisposable
{
    /// <summary>Entries are sized by entities plus links; the whole cache holds at most this many.</summary>
    public const long Capacity = 4_000_000;

    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity, Clock = new Clock(time) });
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>
    /// The graph under <paramref name="key"/>, or the one <paramref name="build"/> makes, kept only when it says the
    /// graph is what the key names (nothing moved while it was read).
    /// </summary>
    public async Task<CachedGraph> GetOrBuildAsync(string key, Func<Task<(CachedGraph Graph, bool Keep)>> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (_cache.TryGetValue(key, out CachedGraph? found) && found is not null)
        {
            Interlocked.Increment(ref _hits);
            return found;
        }

        Interlocked.Increment(ref _misses);
        var (built, keep) = await build();
        if (keep)
        {
            var expires = time.GetUtcNow() + Lifetime;
            built.Computed = () => Keep(key, built, expires);
            Keep(key, built, expires);
        }

        return built;
    }

    /// <summary>Puts <paramref name="graph"/> under <paramref name="key"/> with the idle minute starting now, never past its lifetime.</summary>
    private void Keep(string key, CachedGraph graph, DateTimeOffset expires)
    {
        if (time.GetUtcNow() >= expires)
        {
            return;
        }

        try
        {
            _cache.Set(key, graph, new MemoryCacheEntryOptions { Size = 1 + graph.Graph.NodeCount + graph.Graph.EdgeCount, SlidingExpiration = Idle, AbsoluteExpiration = expires });
        }
        catch (ObjectDisposedException)
        {
            // The node stopped while a computation ran: its answer still goes to the caller, nothing is kept.
        }
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>The node's clock for the cache's expiry (tests move it).</summary>
    private sealed class Clock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}

/// <summary>One caller-visible graph and its entities, with components, cells and betweenness computed on first use and kept.</summary>
public sealed class CachedGraph
{
    private readonly Lazy<IReadOnlyList<IReadOnlyList<string>>> _components;
    private readonly Lazy<CommunityResult> _communities;
    private readonly Lazy<IReadOnlyDictionary<string, double>> _betweenness;

    public CachedGraph(FusionGraph graph, Dictionary<string, Entity> entities)
    {
        Graph = graph;
        Entities = entities;
        _components = new(() => Done(graph.ConnectedComponents()));
        _communities = new(() => Done(Louvain.Detect(graph)));
        _betweenness = new(() => Done(Centrality.Betweenness(graph)));
    }

    public FusionGraph Graph { get; }

    public Dictionary<string, Entity> Entities { get; }

    /// <summary>Called after each computation (the cache keeps the entry from then on).</summary>
    internal Action? Computed { get; set; }

    /// <summary>The connected components, largest first (<see cref="FusionGraph.ConnectedComponents"/>).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Components => _components.Value;

    public CommunityResult Communities => _communities.Value;

    public IReadOnlyDictionary<string, double> Betweenness => _betweenness.Value;

    private T Done<T>(T result)
    {
        Computed?.Invoke();
        return result;
    }
}
