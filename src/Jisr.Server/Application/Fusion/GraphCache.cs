using System.Security.Cryptography;
using System.Text;
using Jisr.Fusion.Graph;
using Microsoft.Extensions.Caching.Memory;
using FusionGraph = Jisr.Fusion.Graph.LinkGraph;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// Link graphs built for callers, with their cells and betweenness once computed, kept for the next query over the
/// same graph. The key is what decides what a graph holds: a hash of exactly the entity ids and links the caller may
/// read (read from the database on every query, so a change of visibility is a new key at once) and the version of
/// this process's changes to records, entities and links (<see cref="Jisr.Storage.DataChanges"/>: any such write here,
/// an entity renamed in place included, is a new key). Two callers share an entry only when they may read exactly the same entities and links, so an answer
/// can never hold what its caller may not see. Entries expire after a minute, which bounds how long a change made by
/// another process over the same database (only in place: a change of what is visible is seen at once) goes unseen.
/// </summary>
public sealed class GraphCache : IDisposable
{
    /// <summary>Entries are sized by entities plus links; the whole cache holds at most this many.</summary>
    public const long Capacity = 4_000_000;

    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The key of the graph over these entity ids and links, at this data version.</summary>
    public static string KeyOf(long version, IEnumerable<EntityId> entities, IEnumerable<Link> links)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder(128);
        foreach (var id in entities.Select(e => e.ToString()).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(id + "\n"));
        }

        hash.AppendData("links\n"u8);
        foreach (var link in links.OrderBy(l => l.Id.ToString(), StringComparer.Ordinal))
        {
            line.Clear().Append(link.Id).Append(' ').Append(link.FromEntityId).Append(' ').Append(link.ToEntityId).Append(' ').Append(link.Type).Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }

        return $"{version}:{Convert.ToHexString(hash.GetHashAndReset())}";
    }

    public async Task<CachedGraph> GetOrBuildAsync(string key, Func<Task<CachedGraph>> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (_cache.TryGetValue(key, out CachedGraph? found) && found is not null)
        {
            Interlocked.Increment(ref _hits);
            return found;
        }

        Interlocked.Increment(ref _misses);
        var built = await build();
        _cache.Set(key, built, new MemoryCacheEntryOptions { Size = 1 + built.Graph.NodeCount + built.Graph.EdgeCount, AbsoluteExpirationRelativeToNow = Expiry });
        return built;
    }

    public void Dispose() => _cache.Dispose();
}

/// <summary>One caller-visible graph and its entities, with cells and betweenness computed on first use and kept.</summary>
public sealed class CachedGraph(FusionGraph graph, Dictionary<string, Entity> entities)
{
    private readonly Lazy<CommunityResult> _communities = new(() => Louvain.Detect(graph));
    private readonly Lazy<IReadOnlyDictionary<string, double>> _betweenness = new(() => Centrality.Betweenness(graph));

    public FusionGraph Graph { get; } = graph;

    public Dictionary<string, Entity> Entities { get; } = entities;

    public CommunityResult Communities => _communities.Value;

    public IReadOnlyDictionary<string, double> Betweenness => _betweenness.Value;
}
