using System.Runtime.InteropServices;
using Jisr.Fusion.Resolution;
using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;

namespace Jisr.Fusion.Graph;

/// <summary>The entities within <c>depth</c> steps of a centre, with the links among them.</summary>
public sealed record Neighbourhood(
    string Centre,
    int Depth,
    IReadOnlyDictionary<string, int> Distances,
    IReadOnlyList<GraphEdge> Edges,
    bool Truncated,
    int Omitted);

/// <summary>An undirected link between two entities: how many times records assert it, and the kinds they give.</summary>
public sealed record GraphEdge(string A, string B, int Weight, IReadOnlyList<string> Types);

/// <summary>
/// The link graph over entities, undirected, built once from the links the caller may see. Self-links are dropped and
/// counted (<see cref="SelfLinksIgnored"/>); the same link asserted twice is one edge of weight two; cycles are
/// ordinary. Nodes and adjacency live in flat arrays (compressed sparse rows), so a million links fit in tens of
/// megabytes and a neighbourhood query touches only what it returns. Immutable and safe for concurrent queries.
/// </summary>
public sealed class LinkGraph
{
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _index;
    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly int[] _weights;
    private readonly int[] _typeSets;
    private readonly string[][] _typeTable;
    private readonly System.Collections.Concurrent.ConcurrentBag<int[]> _scratch = [];

    private LinkGraph(string[] ids, Dictionary<string, int> index, int[] offsets, int[] targets, int[] weights, int[] typeSets, string[][] typeTable, int selfLinks, int duplicates)
    {
        _ids = ids;
        _index = index;
        _offsets = offsets;
        _targets = targets;
        _weights = weights;
        _typeSets = typeSets;
        _typeTable = typeTable;
        SelfLinksIgnored = selfLinks;
        DuplicatesMerged = duplicates;
    }

    public int NodeCount => _ids.Length;

    /// <summary>Distinct undirected edges.</summary>
    public int EdgeCount => _targets.Length / 2;

    public int SelfLinksIgnored { get; }

    public int DuplicatesMerged { get; }

    public IReadOnlyList<string> Nodes => _ids;

    internal int[] Offsets => _offsets;

    internal int[] Targets => _targets;

    internal int[] Weights => _weights;

    public bool Contains(string id) => _index.ContainsKey(id);

    public int Degree(string id) => _index.TryGetValue(id, out var i) ? _offsets[i + 1] - _offsets[i] : 0;

    /// <summary>Builds the graph; <paramref name="nodes"/> adds entities that have no link (they still count in components).</summary>
    public static LinkGraph Build(IEnumerable<EntityLink> links, IEnumerable<string>? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(links);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new List<string>();
        int Node(string id)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(index, id, out var exists);
            if (!exists)
            {
                slot = ids.Count;
                ids.Add(id);
            }

            return slot;
        }

        foreach (var id in nodes ?? [])
        {
            Node(id);
        }

        // Each undirected edge once, keyed by its ordered pair, with its weight and kinds.
        var edges = new Dictionary<long, (int Weight, int TypeSet)>();
        var typeSets = new Dictionary<string, int>(StringComparer.Ordinal);
        var typeTable = new List<string[]>();
        int TypeSet(string[] types)
        {
            var key = string.Join('\u001f', types);
            if (!typeSets.TryGetValue(key, out var at))
            {
                typeSets[key] = at = typeTable.Count;
                typeTable.Add(types);
            }

            return at;
        }

        int selfLinks = 0, duplicates = 0;
        foreach (var link in links)
        {
            if (link.From == link.To)
            {
                selfLinks++;
                continue;
            }

            var (a, b) = (Node(link.From), Node(link.To));
            var key = ((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b);
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(edges, key, out var exists);
            if (!exists)
            {
                slot = (1, TypeSet([link.Type]));
                continue;
            }

            duplicates++;
            var known = typeTable[slot.TypeSet];
            slot = (slot.Weight + 1, known.Contains(link.Type, StringComparer.Ordinal) ? slot.TypeSet : TypeSet([.. known, link.Type]));
        }

        var n = ids.Count;
        var offsets = new int[n + 1];
        foreach (var key in edges.Keys)
        {
            offsets[(int)(key >> 32) + 1]++;
            offsets[(int)(key & 0xffffffff) + 1]++;
        }

        for (var i = 0; i < n; i++)
        {
            offsets[i + 1] += offsets[i];
        }

        var fill = offsets[..n];
        var targets = new int[edges.Count * 2];
        var weights = new int[edges.Count * 2];
        var types = new int[edges.Count * 2];
        foreach (var (key, (weight, typeSet)) in edges)
        {
            var (a, b) = ((int)(key >> 32), (int)(key & 0xffffffff));
            targets[fill[a]] = b;
            weights[fill[a]] = weight;
            types[fill[a]++] = typeSet;
            targets[fill[b]] = a;
            weights[fill[b]] = weight;
            types[fill[b]++] = typeSet;
        }

        return new LinkGraph([.. ids], index, offsets, targets, weights, types, [.. typeTable], selfLinks, duplicates);
    }

    /// <summary>
    /// The entities within <paramref name="depth"/> steps of <paramref name="centre"/> and the links among them, nearest
    /// first. Stops at <paramref name="maxNodes"/> entities (a hub with 100,000 links would otherwise return the whole
    /// graph) and says how many it left out of the last ring it reached.
    /// </summary>
    public Neighbourhood Neighbourhood(string centre, int depth, int maxNodes = 5_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNodes, 1);
        if (!_index.TryGetValue(centre, out var start))
        {
            return new Neighbourhood(centre, depth, new Dictionary<string, int>(), [], false, 0);
        }

        // Distances in a pooled array (reset after use): a query allocates only what it returns.
        var distance = _scratch.TryTake(out var rented) ? rented : NewScratch();
        var visited = new List<int> { start };
        distance[start] = 0;
        var omitted = 0;
        try
        {
            var ring = 0;
            for (var d = 1; d <= depth && omitted == 0 && ring < visited.Count; d++)
            {
                var end = visited.Count;
                for (var at = ring; at < end; at++)
                {
                    var node = visited[at];
                    for (var e = _offsets[node]; e < _offsets[node + 1]; e++)
                    {
                        var t = _targets[e];
                        if (distance[t] >= 0)
                        {
                            continue;
                        }

                        if (visited.Count >= maxNodes)
                        {
                            omitted++;
                            distance[t] = int.MaxValue; // counted once
                            visited.Add(t);
                            continue;
                        }

                        distance[t] = d;
                        visited.Add(t);
                    }
                }

                ring = end;
            }

            var distances = new Dictionary<string, int>(Math.Min(visited.Count, maxNodes), StringComparer.Ordinal);
            var edges = new List<GraphEdge>();
            foreach (var node in visited)
            {
                if (distance[node] == int.MaxValue)
                {
                    continue;
                }

                distances[_ids[node]] = distance[node];
                for (var e = _offsets[node]; e < _offsets[node + 1]; e++)
                {
                    var t = _targets[e];
                    if (node < t && distance[t] >= 0 && distance[t] != int.MaxValue)
                    {
                        edges.Add(new GraphEdge(_ids[node], _ids[t], _weights[e], _typeTable[_typeSets[e]]));
                    }
                }
            }

            return new Neighbourhood(centre, depth, distances, edges, omitted > 0, omitted);
        }
        finally
        {
            foreach (var node in visited)
            {
                distance[node] = -1;
            }

            _scratch.Add(distance);
        }
    }

    private int[] NewScratch()
    {
        var array = new int[NodeCount];
        Array.Fill(array, -1);
        return array;
    }

    /// <summary>
    /// A shortest chain of links from <paramref name="from"/> to <paramref name="to"/> (both ends included), or null
    /// when none exists within <paramref name="maxLength"/> links. Searches from both ends, expanding the smaller side.
    /// </summary>
    public IReadOnlyList<string>? ShortestPath(string from, string to, int maxLength = 8)
    {
        if (!_index.TryGetValue(from, out var s) || !_index.TryGetValue(to, out var t))
        {
            return null;
        }

        if (s == t)
        {
            return [from];
        }

        var parentFromS = new Dictionary<int, int> { [s] = -1 };
        var parentFromT = new Dictionary<int, int> { [t] = -1 };
        List<int> frontS = [s], frontT = [t];
        for (var length = 0; length < maxLength && frontS.Count > 0 && frontT.Count > 0; length++)
        {
            var expandS = frontS.Count <= frontT.Count;
            var (front, mine, theirs) = expandS ? (frontS, parentFromS, parentFromT) : (frontT, parentFromT, parentFromS);
            var next = new List<int>();
            var meet = -1;
            foreach (var node in front)
            {
                for (var e = _offsets[node]; e < _offsets[node + 1] && meet < 0; e++)
                {
                    var x = _targets[e];
                    if (mine.ContainsKey(x))
                    {
                        continue;
                    }

                    mine[x] = node;
                    next.Add(x);
                    if (theirs.ContainsKey(x))
                    {
                        meet = x;
                    }
                }

                if (meet >= 0)
                {
                    break;
                }
            }

            if (meet >= 0)
            {
                var path = new List<string>();
                for (var x = meet; x >= 0; x = parentFromS[x])
                {
                    path.Add(_ids[x]);
                }

                path.Reverse();
                for (var x = parentFromT[meet]; x >= 0; x = parentFromT[x])
                {
                    path.Add(_ids[x]);
                }

                return path;
            }

            if (expandS)
            {
                frontS = next;
            }
            else
            {
                frontT = next;
            }
        }

        return null;
    }

    /// <summary>
    /// The link between <paramref name="a"/> and <paramref name="b"/> as <see cref="Neighbourhood"/> gives it (the end
    /// added first as <c>A</c>), or null when they are not linked; found in <paramref name="a"/>'s own links, so a hub's
    /// link is there however many others it has (a depth-1 neighbourhood would stop at its cap).
    /// </summary>
    public GraphEdge? Edge(string a, string b)
    {
        if (!_index.TryGetValue(a, out var i) || !_index.TryGetValue(b, out var j))
        {
            return null;
        }

        var (low, high) = (Math.Min(i, j), Math.Max(i, j));
        for (var e = _offsets[low]; e < _offsets[low + 1]; e++)
        {
            if (_targets[e] == high)
            {
                return new GraphEdge(_ids[low], _ids[high], _weights[e], _typeTable[_typeSets[e]]);
            }
        }

        return null;
    }

    /// <summary>The connected components, largest first (QuikGraph's union of depth-first searches).</summary>
    public IReadOnlyList<IReadOnlyList<string>> ConnectedComponents()
    {
        var graph = new UndirectedGraph<int, SEdge<int>>(allowParallelEdges: false);
        graph.AddVertexRange(Enumerable.Range(0, NodeCount));
        for (var a = 0; a < NodeCount; a++)
        {
            for (var e = _offsets[a]; e < _offsets[a + 1]; e++)
            {
                if (a < _targets[e])
                {
                    graph.AddEdge(new SEdge<int>(a, _targets[e]));
                }
            }
        }

        var algorithm = new ConnectedComponentsAlgorithm<int, SEdge<int>>(graph);
        algorithm.Compute();
        return [.. algorithm.Components
            .GroupBy(kv => kv.Value, kv => kv.Key)
            .Select(g => (IReadOnlyList<string>)[.. g.Order().Select(i => _ids[i])])
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c[0], StringComparer.Ordinal)];
    }

    /// <summary>Degree centrality: each entity's number of distinct neighbours, normalised by the most it could have.</summary>
    public IReadOnlyDictionary<string, double> DegreeCentrality()
    {
        var scale = NodeCount > 1 ? 1.0 / (NodeCount - 1) : 0;
        var result = new Dictionary<string, double>(NodeCount, StringComparer.Ordinal);
        for (var i = 0; i < NodeCount; i++)
        {
            result[_ids[i]] = (_offsets[i + 1] - _offsets[i]) * scale;
        }

        return result;
    }

    /// <summary>The subgraph over the entities <paramref name="keep"/> admits (for a caller who may see only those).</summary>
    public LinkGraph Subgraph(Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var map = new int[NodeCount];
        var ids = new List<string>();
        for (var i = 0; i < NodeCount; i++)
        {
            map[i] = keep(_ids[i]) ? ids.Count : -1;
            if (map[i] >= 0)
            {
                ids.Add(_ids[i]);
            }
        }

        var offsets = new int[ids.Count + 1];
        var targets = new List<int>();
        var weights = new List<int>();
        var typeSets = new List<int>();
        for (var i = 0; i < NodeCount; i++)
        {
            if (map[i] < 0)
            {
                continue;
            }

            for (var e = _offsets[i]; e < _offsets[i + 1]; e++)
            {
                if (map[_targets[e]] >= 0)
                {
                    targets.Add(map[_targets[e]]);
                    weights.Add(_weights[e]);
                    typeSets.Add(_typeSets[e]);
                }
            }

            offsets[map[i] + 1] = targets.Count;
        }

        var index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            index[ids[i]] = i;
        }

        return new LinkGraph([.. ids], index, offsets, [.. targets], [.. weights], [.. typeSets], _typeTable, SelfLinksIgnored, DuplicatesMerged);
    }

    /// <summary>Every edge once, for exports.</summary>
    public IEnumerable<GraphEdge> Edges()
    {
        for (var a = 0; a < NodeCount; a++)
        {
            for (var e = _offsets[a]; e < _offsets[a + 1]; e++)
            {
                if (a < _targets[e])
                {
                    yield return new GraphEdge(_ids[a], _ids[_targets[e]], _weights[e], _typeTable[_typeSets[e]]);
                }
            }
        }
    }

    internal int IndexOf(string id) => _index.TryGetValue(id, out var i) ? i : -1;
}
