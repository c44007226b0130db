using Jisr.Fusion.Graph;
using Jisr.Storage.Fusion;
using FusionGraph = Jisr.Fusion.Graph.LinkGraph;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// The link graph's analytics over what the caller may read: neighbourhood to depth k, shortest path, cells (Louvain
/// communities), brokers (betweenness and degree) and exports (GraphML, JSON). The graph is built from the links of
/// the records the caller may read and the entities they may read (<see cref="FusionStore"/>), so no answer can hold
/// an entity the caller may not see, not even as a count. Each query carries a declared purpose, kept in the audit log.
/// Graphs and their components, cells and betweenness are kept in <see cref="GraphCache"/>, keyed by the records the caller may read.
/// A neighbourhood and a path never load, hash or cache the caller's whole graph: a path reads the rings it reaches from
/// the database, a neighbourhood searches the node's links held in memory once they are current for the records the
/// caller may read (<see cref="LinkAdjacency"/>), else reads its rings too.
/// </summary>
public sealed class GraphService(FusionStore store, GraphCache cache)
{
    public const int MaxDepth = 4;
    public const int MaxNodes = 5_000;
    public const int MaxBrokers = 100;

    /// <summary>The most connected components one answer lists (the rest are counted).</summary>
    public const int MaxComponents = 1_000;

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
        return new GraphView([.. around.Distances.Keys.Where(entities.ContainsKey).Select(n => new GraphNode(entities[n], around.Distances[n]))], [.. around.Edges.Where(e => entities.ContainsKey(e.A) && entities.ContainsKey(e.B))], around.Truncated ? around.Omitted : 0);
    }

    /// <summary>
    /// The neighbourhood of <paramref name="centre"/> in the caller's graph, equal to <see cref="FusionGraph.Neighbourhood"/>
    /// over the whole graph (<see cref="Build"/>): searched by the store over the node's links held in memory
    /// (<see cref="GraphSlice.Searched"/>), or built from the rings the database returns (<see cref="AroundAsync"/>);
    /// entities read whole for the answer only. Null when the centre is not readable.
    /// </summary>
    public async Task<(Neighbourhood Around, Dictionary<string, Entity> Entities)?> NeighbourhoodOfAsync(Principal caller, EntityId centre, int depth, int maxNodes, CancellationToken cancellationToken)
    {
        if (await store.ReadableNeighbourhoodAsync(caller, centre, depth, maxNodes, cancellationToken) is not { } slice)
        {
            return null;
        }

        var around = slice.Searched is { } held ? Shown(centre, depth, held) : await AroundAsync(caller, slice, centre, depth, maxNodes, cancellationToken);

        // Whole entities for the answer only (an entity deleted since its ring was read is left out).
        var whole = await store.SliceEntitiesAsync(slice, [.. around.Distances.Keys.Select(TypedId.Parse<EntityId>)], cancellationToken);
        var entities = whole.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value, StringComparer.Ordinal);
        return (around, entities);
    }

    /// <summary>A neighbourhood the store searched in memory, as the graph gives it (ids as text, kinds by name).</summary>
    private static Neighbourhood Shown(EntityId centre, int depth, HeldNeighbourhood held)
    {
        var text = new Dictionary<EntityId, string>(held.Reached.Count);
        var distances = new Dictionary<string, int>(held.Reached.Count, StringComparer.Ordinal);
        foreach (var (id, distance) in held.Reached)
        {
            distances[text[id] = id.ToString()] = distance;
        }

        var kinds = new Dictionary<IReadOnlyList<LinkType>, string[]>(ReferenceEqualityComparer.Instance);
        var edges = new List<GraphEdge>(held.Edges.Count);
        foreach (var edge in held.Edges)
        {
            if (!kinds.TryGetValue(edge.Types, out var names))
            {
                kinds[edge.Types] = names = [.. edge.Types.Select(t => EntityVocabulary.LinkTypes[t])];
            }

            edges.Add(new GraphEdge(text[edge.A], text[edge.B], edge.Weight, names));
        }

        return new Neighbourhood(centre.ToString(), depth, distances, edges, held.Omitted > 0, held.Omitted);
    }

    /// <summary>
    /// The neighbourhood built from the rings the database returns (<see cref="FusionStore.ReadableNeighbourhoodAsync"/>,
    /// links as rows): every inner-ring entity has all its links there, so the search meets the same neighbours in the
    /// same order (nodes and links are ordered by id, whatever subset); the outermost ring is not searched from, so
    /// the links among its reached entities are fetched last and added.
    /// </summary>
    private async Task<Neighbourhood> AroundAsync(Principal caller, GraphSlice slice, EntityId centre, int depth, int maxNodes, CancellationToken cancellationToken)
    {
        // Within the cap every entity of the slice is in the answer (each was reached within the depth), so the outer
        // ring's links are fetched first and the graph built once; past it, only those of the outer entities kept.
        var outer = slice.OuterRing;
        Neighbourhood? around = null;
        if (slice.Entities.Count > maxNodes)
        {
            around = Build(slice.Entities, slice.Links).Neighbourhood(centre.ToString(), depth, maxNodes);
            outer = [.. slice.OuterRing.Where(id => around.Distances.ContainsKey(id.ToString()))];
        }

        var among = outer.Count > 1 ? await store.ReadableLinkRowsAmongAsync(caller, outer, cancellationToken) : [];
        if (around is null || among.Count > 0)
        {
            around = Build(slice.Entities, slice.Links.Concat(among).DistinctBy(l => l.Id)).Neighbourhood(centre.ToString(), depth, maxNodes);
        }

        return around;
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
    /// (<see cref="FusionStore.ReadablePathSliceAsync"/>, ids only): each entity the search expands has all its links
    /// there, and links are ordered by their ends' ids whatever the subset, so the search meets the same entities in
    /// the same order. Whole entities are read for the path only; one hidden since its ring was read: no path.
    /// </summary>
    public async Task<(IReadOnlyList<string> Path, IReadOnlyList<GraphEdge> Links, Dictionary<string, Entity> Entities)> PathOfAsync(
        Principal caller, Entity from, Entity to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var slice = await store.ReadablePathSliceAsync(caller, from.Id, to.Id, MaxPathLength, cancellationToken);
        var graph = Build(slice.Entities, slice.Links);
        var path = graph.ShortestPath(from.Id.ToString(), to.Id.ToString(), MaxPathLength) ?? [];
        var middle = path.Skip(1).SkipLast(1).ToList();
        var entities = middle.Count == 0 ? [] : await EntitiesAsync(caller, middle, cancellationToken);
        if (entities.Count < middle.Count)
        {
            path = [];
        }

        entities[from.Id.ToString()] = from;
        entities[to.Id.ToString()] = to;
        var edges = path.Zip(path.Skip(1)).Select(p => graph.Edge(p.First, p.Second)!).ToList();
        return (path, edges, entities);
    }

    /// <summary>The readable entities among <paramref name="ids"/>, whole, by id (those hidden since are absent).</summary>
    private async Task<Dictionary<string, Entity>> EntitiesAsync(Principal caller, IEnumerable<string> ids, CancellationToken cancellationToken) =>
        (await store.ReadableEntitiesAmongAsync(caller, [.. ids.Select(TypedId.Parse<EntityId>)], cancellationToken))
            .ToDictionary(kv => kv.Key.ToString(), kv => kv.Value, StringComparer.Ordinal);

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

    /// <summary>
    /// The connected components of the graph the caller may read (groups of entities joined by chains of readable
    /// links, whatever their length), largest first: the <paramref name="top"/> largest of at least
    /// <paramref name="minSize"/> entities, each with at most <see cref="MaxNodes"/> of its entities (the first by id,
    /// the rest counted in <c>Omitted</c>) and the links among those. Counts are of the caller's graph only.
    /// </summary>
    public async Task<GraphComponents> ComponentsAsync(Principal caller, int? minSize, int? top, string purpose, CancellationToken cancellationToken)
    {
        var size = minSize ?? 2;
        if (size is < 1 or > MaxNodes)
        {
            throw DomainValidationException.Coded("minSize", ValidationCodes.OutOfRange, $"must be between 1 and {MaxNodes}", 1, MaxNodes);
        }

        var count = top ?? 20;
        if (count is < 1 or > MaxComponents)
        {
            throw DomainValidationException.Coded("top", ValidationCodes.OutOfRange, $"must be between 1 and {MaxComponents}", 1, MaxComponents);
        }

        var graph = await LoadAsync(caller, cancellationToken);
        var all = graph.Cached.Components;
        var matching = all.TakeWhile(c => c.Count >= size).ToList();
        var shown = matching.Take(count).ToList();

        // One pass over the links: each component's link count, and the links among the entities each answer shows.
        var componentOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < shown.Count; c++)
        {
            foreach (var (id, i) in shown[c].Select((id, i) => (id, i)))
            {
                componentOf[id] = c;
                if (i < MaxNodes)
                {
                    listed.Add(id);
                }
            }
        }

        var linkCounts = new int[shown.Count];
        var links = shown.Select(_ => new List<GraphEdge>()).ToList();
        foreach (var edge in graph.Graph.Edges())
        {
            if (componentOf.TryGetValue(edge.A, out var c))
            {
                linkCounts[c]++;
                if (listed.Contains(edge.A) && listed.Contains(edge.B))
                {
                    links[c].Add(edge);
                }
            }
        }

        var components = shown.Select((c, i) => new GraphComponent(c.Count, linkCounts[i], graph.View(c.Take(MaxNodes), links[i], null, Math.Max(0, c.Count - MaxNodes)))).ToList();
        await store.AuditReadAsync(caller, AuditActions.GraphComponents, AuditOutcomes.Success, purpose, $"{graph.Graph.NodeCount} entities: {matching.Count} components of {size}+ ({all.Count} in all), {components.Count} shown");
        return new GraphComponents(all.Count, matching.Count, components);
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
    /// The graph the caller may read, from the cache when one was built at the same data version of this process
    /// (<see cref="FusionStore.DataVersion"/>: an entity changed in place here) over the same readable records, each at
    /// the same version (<see cref="FusionStore.ReadableRecordsStampAsync"/>: any change of who may read what, here or in
    /// another process). Both are read before the data and again after it: a graph read while either moved is answered
    /// but not kept, so no entry ever holds more, or other, than its key says.
    /// </summary>
    private async Task<ReadableGraph> LoadAsync(Principal caller, CancellationToken cancellationToken)
    {
        var version = store.DataVersion;
        var stamp = await store.ReadableRecordsStampAsync(caller, cancellationToken);
        var cached = await cache.GetOrBuildAsync($"{version}:{stamp}", async () =>
        {
            var entities = await store.ReadableEntitiesAsync(caller, cancellationToken);
            var links = await store.ReadableLinksAsync(caller, cancellationToken);
            var (graph, byId) = Build(entities, links);
            var unchanged = store.DataVersion == version && await store.ReadableRecordsStampAsync(caller, cancellationToken) == stamp;
            return (new CachedGraph(graph, byId), unchanged);
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

    /// <summary>
    /// The same graph as <see cref="Build(IEnumerable{Entity}, IEnumerable{Link})"/> over entity ids and link rows (what
    /// a slice read ring by ring carries): the same node order and the same link order, hence the same searches.
    /// </summary>
    /// <remarks>
    /// Each id is written as text once and ranked in ordinal order, and the links are sorted by their ends' ranks, then
    /// kind: the order of their ends' ids as text, without comparing text. Links alike in ends and kind are one edge
    /// whatever their order (its weight counts them, its kinds are already listed), so nothing further orders them.
    /// </remarks>
    public static FusionGraph Build(IEnumerable<EntityId> entities, IEnumerable<GraphLinkRow> links)
    {
        var text = new Dictionary<EntityId, string>();
        foreach (var entity in entities)
        {
            text.TryAdd(entity, entity.ToString());
        }

        var ordered = text.OrderBy(e => e.Value, StringComparer.Ordinal).ToList();
        var rank = new Dictionary<EntityId, int>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            rank[ordered[i].Key] = i;
        }

        var visible = links.Where(l => rank.ContainsKey(l.From) && rank.ContainsKey(l.To))
            .Select(l => (From: rank[l.From], To: rank[l.To], l.Type))
            .OrderBy(l => l.From).ThenBy(l => l.To).ThenBy(l => l.Type)
            .Select(l => new Jisr.Fusion.Resolution.EntityLink(ordered[l.From].Value, ordered[l.To].Value, EntityVocabulary.LinkTypes[l.Type]));
        return FusionGraph.Build(visible, ordered.Select(e => e.Value));
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

/// <summary>Connected components: how many the caller's graph has, how many are of the size asked, and the largest of those.</summary>
public sealed record GraphComponents(int Total, int Matching, IReadOnlyList<GraphComponent> Components);

/// <summary>One connected component: its number of entities and links, and the entities and links shown.</summary>
public sealed record GraphComponent(int Size, int LinkCount, GraphView Shown);

public sealed record GraphBroker(Entity Entity, double Betweenness, int Degree);

public sealed record GraphFile(string ContentType, string FileName, byte[] Content);
