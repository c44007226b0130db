using Jisr.Fusion.Graph;
using Jisr.Storage.Fusion;
using FusionGraph = Jisr.Fusion.Graph.LinkGraph;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// The link graph's analytics over what the caller may read: neighbourhood to depth k, shortest path, cells (Louvain
/// communities), brokers (betweenness and degree) and exports (GraphML, JSON). The graph is built from the links of
/// the records the caller may read and the entities they may read (<see cref="FusionStore"/>), so no answer can hold
/// an entity the caller may not see, not even as a count. Each query carries a declared purpose, kept in the audit log.
/// Graphs and their cells and betweenness are kept in <see cref="GraphCache"/>, keyed by exactly what the caller may read.
/// A neighbourhood and a path read only the rings they reach from the database and never load, hash or cache the whole graph.
/// </summary>
public sealed class GraphService(FusionStore store, GraphCache cache)
{
    public const int MaxDepth = 4;
    public const int MaxNodes = 5_000;
    public const int MaxBrokers = 100;

    /// <summary>The longest chain of links a path search follows.</summary>
    public const int MaxPathLength = 8;

    public async Task<Outcome<GraphView>> NeighbourhoodAsync(Principal caller, Guid id, int? depth, string purpose, CancellationToken cancellationToken)
    {
        var steps = depth ?? 2;
        if (steps is < 1 or > MaxDepth)
        {
            throw DomainValidationException.Coded("depth", ValidationCodes.OutOfRange, $"must be between 1 and {MaxDepth}", 1, MaxDepth);
        }

        if (await NeighbourhoodOfAsync(caller, new EntityId(id), steps, MaxNodes, cancellationToken) is not (var around, var entities))
        {
            await store.AuditReadAsync(caller, AuditActions.GraphNeighbourhood, AuditOutcomes.NotFound, purpose, null, new EntityId(id));
            return Refusal.NotFound($"entity {id}");
        }

        await store.AuditReadAsync(caller, AuditActions.GraphNeighbourhood, AuditOutcomes.Success, purpose, $"depth {steps}: {around.Distances.Count} entities, {around.Edges.Count} links", new EntityId(id));
        return new GraphView([.. around.Distances.Keys.Select(n => new GraphNode(entities[n], around.Distances[n]))], [.. around.Edges], around.Truncated ? around.Omitted : 0);
    }

    /// <summary>
    /// The neighbourhood of <paramref name="centre"/> in the caller's graph, equal to <see cref="FusionGraph.Neighbourhood"/>
    /// over the whole graph (<see cref="Build"/>) but built from the rings the database returns
    /// (<see cref="FusionStore.ReadableNeighbourhoodAsync"/>): every inner-ring entity has all its links there, so the
    /// search meets the same neighbours in the same order (nodes and links are ordered by id, whatever subset); the
    /// outermost ring is not searched from, so the links among its reached entities are fetched last and added.
    /// Null when the centre is not readable.
    /// </summary>
    public async Task<(Neighbourhood Around, Dictionary<string, Entity> Entities)?> NeighbourhoodOfAsync(Principal caller, EntityId centre, int depth, int maxNodes, CancellationToken cancellationToken)
    {
        if (await store.ReadableNeighbourhoodAsync(caller, centre, depth, maxNodes, cancellationToken) is not { } slice)
        {
            return null;
        }

        var (graph, entities) = Build(slice.Entities.Values, slice.Links);
        var around = graph.Neighbourhood(centre.ToString(), depth, maxNodes);
        var outer = slice.OuterRing.Where(id => around.Distances.ContainsKey(id.ToString())).ToList();
        if (outer.Count > 1)
        {
            var among = await store.ReadableLinksAmongAsync(caller, outer, cancellationToken);
            if (among.Count > 0)
            {
                (graph, entities) = Build(slice.Entities.Values, slice.Links.Concat(among).DistinctBy(l => l.Id));
                around = graph.Neighbourhood(centre.ToString(), depth, maxNodes);
            }
        }

        return (around, entities);
    }

    /// <summary>A shortest chain of links between two entities the caller may read (empty when none within eight links).</summary>
    public async Task<Outcome<GraphView>> PathAsync(Principal caller, Guid from, Guid to, string purpose, CancellationToken cancellationToken)
    {
        var (start, end) = (new EntityId(from), new EntityId(to));
        var ends = await store.ReadableEntitiesByIdAsync(caller, [start, end], cancellationToken);
        foreach (var id in new[] { from, to })
        {
            if (!ends.ContainsKey(new EntityId(id)))
            {
                await store.AuditReadAsync(caller, AuditActions.GraphPath, AuditOutcomes.NotFound, purpose, $"{from} to {to}", new EntityId(id));
                return Refusal.NotFound($"entity {id}");
            }
        }

        var (path, edges, entities) = await PathOfAsync(caller, ends[start], ends[end], cancellationToken);
        await store.AuditReadAsync(caller, AuditActions.GraphPath, AuditOutcomes.Success, purpose, $"{from} to {to}: {(path.Count == 0 ? "no path" : $"{path.Count - 1} links")}", start);
        return new GraphView([.. path.Select((n, i) => new GraphNode(entities[n], i))], edges, 0);
    }

    /// <summary>
    /// The shortest path between two readable entities, equal to <see cref="FusionGraph.ShortestPath"/> over the whole
    /// graph (<see cref="Build"/>) but searched on the slice the database returns ring by ring from both ends
    /// (<see cref="FusionStore.ReadablePathSliceAsync"/>): each entity the search expands has all its links there, and
    /// links are ordered by their ends' ids whatever the subset, so the search meets the same entities in the same order.
    /// </summary>
    public async Task<(IReadOnlyList<string> Path, IReadOnlyList<GraphEdge> Links, Dictionary<string, Entity> Entities)> PathOfAsync(
        Principal caller, Entity from, Entity to, CancellationToken cancellationToken)
    {
        var slice = await store.ReadablePathSliceAsync(caller, from, to, MaxPathLength, cancellationToken);
        var (graph, entities) = Build(slice.Entities.Values, slice.Links);
        var path = graph.ShortestPath(from.Id.ToString(), to.Id.ToString(), MaxPathLength) ?? [];
        var edges = path.Zip(path.Skip(1)).Select(p => graph.Edge(p.First, p.Second)!).ToList();
        return (path, edges, entities);
    }

    /// <summary>Proposed cells: communities (Louvain) of at least <paramref name="minSize"/> entities, largest first, with modularity.</summary>
    public async Task<GraphCells> CellsAsync(Principal caller, int? minSize, string purpose, CancellationToken cancellationToken)
    {
        var size = minSize ?? 3;
        if (size is < 2 or > 1000)
        {
            throw DomainValidationException.Coded("minSize", ValidationCodes.OutOfRange, "must be between 2 and 1000", 2, 1000);
        }

        var graph = await LoadAsync(caller, cancellationToken);
        var communities = graph.Cached.Communities;
        var groups = communities.Groups(size);
        await store.AuditReadAsync(caller, AuditActions.GraphCells, AuditOutcomes.Success, purpose, $"{graph.Graph.NodeCount} entities: {groups.Count} cells of {size}+");
        var of = communities.CommunityOf;
        var inside = graph.Graph.Edges().Where(e => of[e.A] == of[e.B]).ToLookup(e => of[e.A]);
        return new GraphCells(communities.Modularity, [.. groups.Select(g => graph.View(g, inside[of[g[0]]], null, 0))]);
    }

    /// <summary>The entities that lie most on shortest paths between others (betweenness), with their degree: brokers and couriers.</summary>
    public async Task<IReadOnlyList<GraphBroker>> BrokersAsync(Principal caller, int? top, string purpose, CancellationToken cancellationToken)
    {
        var count = top ?? 10;
        if (count is < 1 or > MaxBrokers)
        {
            throw DomainValidationException.Coded("top", ValidationCodes.OutOfRange, $"must be between 1 and {MaxBrokers}", 1, MaxBrokers);
        }

        var graph = await LoadAsync(caller, cancellationToken);
        var betweenness = graph.Cached.Betweenness;
        var brokers = betweenness.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(count)
            .Select(kv => new GraphBroker(graph.Entities[kv.Key], Math.Round(kv.Value, 4), graph.Graph.Degree(kv.Key))).ToList();
        await store.AuditReadAsync(caller, AuditActions.GraphBrokers, AuditOutcomes.Success, purpose, $"{graph.Graph.NodeCount} entities: top {brokers.Count}");
        return brokers;
    }

    /// <summary>The whole graph the caller may read as GraphML (Gephi) or JSON (the web UI), with labels, types and cells.</summary>
    public async Task<Outcome<GraphFile>> ExportAsync(Principal caller, string? format, string purpose, CancellationToken cancellationToken)
    {
        var kind = format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "graphml" => "graphml",
            "json" => "json",
            _ => throw DomainValidationException.Coded("format", ValidationCodes.MustBeOneOf, "must be \"graphml\" (Gephi, yEd, Cytoscape) or \"json\"", "graphml, json"),
        };
        if (Refusal.Of(AccessPolicy.CanExportGraph(caller), "graph export") is { } refused)
        {
            return refused;
        }

        var graph = await LoadAsync(caller, cancellationToken);
        var attributes = new NodeAttributes(graph.Entities.ToDictionary(kv => kv.Key, kv => kv.Value.Label), graph.Cached.Communities.CommunityOf);
        var output = new MemoryStream();
        if (kind == "json")
        {
            GraphExport.WriteJson(graph.Graph, output, attributes);
        }
        else
        {
            await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), leaveOpen: true);
            GraphExport.WriteGraphMl(graph.Graph, writer, attributes);
        }

        await store.AuditReadAsync(caller, AuditActions.GraphExport, AuditOutcomes.Success, purpose, $"{kind}: {graph.Graph.NodeCount} entities, {graph.Graph.EdgeCount} links, {output.Length} bytes");
        return new GraphFile(kind == "json" ? "application/json" : "application/graphml+xml", $"jisr-graph.{kind}", output.ToArray());
    }

    /// <summary>
    /// The graph the caller may read, from the cache when one was built over exactly the same entities and links at
    /// the same data version. The version is read before the data, so a write committed later is always a newer key.
    /// </summary>
    private async Task<ReadableGraph> LoadAsync(Principal caller, CancellationToken cancellationToken)
    {
        var version = store.DataVersion;
        var ids = await store.ReadableEntityIdsAsync(caller, cancellationToken);
        var links = await store.ReadableLinksAsync(caller, cancellationToken);
        var cached = await cache.GetOrBuildAsync(GraphCache.KeyOf(version, ids, links), async () =>
        {
            // Only what the key names: an entity that became readable since its ids were read is not let in under it.
            var named = ids.Select(id => id.ToString()).ToHashSet(StringComparer.Ordinal);
            var entities = (await store.ReadableEntitiesAsync(caller, cancellationToken)).Where(e => named.Contains(e.Id.ToString()));
            var (graph, byId) = Build(entities, links);
            return new CachedGraph(graph, byId);
        });
        return new ReadableGraph(cached);
    }

    /// <summary>
    /// The graph over <paramref name="entities"/> and the links between them, in one order whatever the database's
    /// (see <see cref="FusionWorld"/>). A link with an end outside <paramref name="entities"/> is left out: every link
    /// joins two entities its (readable) record mentions, so this is a second lock on that door, not the first.
    /// </summary>
    public static (FusionGraph Graph, Dictionary<string, Entity> Entities) Build(IEnumerable<Entity> entities, IEnumerable<Link> links)
    {
        var byId = entities.OrderBy(e => e.Id.ToString(), StringComparer.Ordinal).ToDictionary(e => e.Id.ToString(), StringComparer.Ordinal);
        var visible = FusionWorld.ToLinks(links.Where(l => byId.ContainsKey(l.FromEntityId.ToString()) && byId.ContainsKey(l.ToEntityId.ToString())));
        return (FusionGraph.Build(visible, byId.Keys), byId);
    }

    private sealed record ReadableGraph(CachedGraph Cached)
    {
        public FusionGraph Graph => Cached.Graph;

        public Dictionary<string, Entity> Entities => Cached.Entities;

        public GraphView View(IEnumerable<string> nodes, IEnumerable<GraphEdge> edges, IReadOnlyDictionary<string, int>? distances, int omitted) =>
            new([.. nodes.Select(n => new GraphNode(Entities[n], distances?.GetValueOrDefault(n)))], [.. edges], omitted);
    }
}

/// <summary>Entities (each with its distance from the centre or position on the path, where that means something) and the links among them.</summary>
public sealed record GraphView(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Links, int Omitted);

public sealed record GraphNode(Entity Entity, int? Distance);

public sealed record GraphCells(double Modularity, IReadOnlyList<GraphView> Cells);

public sealed record GraphBroker(Entity Entity, double Betweenness, int Degree);

public sealed record GraphFile(string ContentType, string FileName, byte[] Content);
