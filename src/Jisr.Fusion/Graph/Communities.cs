namespace Jisr.Fusion.Graph;

/// <summary>A partition of the graph's entities into communities (proposed cells), and its modularity.</summary>
public sealed record CommunityResult(IReadOnlyDictionary<string, int> CommunityOf, int Count, double Modularity, int Levels)
{
    /// <summary>The communities with at least <paramref name="minSize"/> members, largest first.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Groups(int minSize = 1) =>
        [.. CommunityOf.GroupBy(kv => kv.Value, kv => kv.Key)
            .Where(g => g.Count() >= minSize)
            .Select(g => (IReadOnlyList<string>)[.. g.Order(StringComparer.Ordinal)])
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g[0], StringComparer.Ordinal)];
}

/// <summary>
/// Community detection by the Louvain method (Blondel et al. 2008): move each node to the neighbouring community
/// with the best modularity gain until none improves, then fold communities into nodes and repeat. QuikGraph has no
/// community detection, so it is written here on the graph's flat arrays; seeded, so a run is reproducible.
/// Modularity is taken per connected component (each against its own links, not the whole graph's): against a
/// large sparse background the global null model would merge small cells joined by a couple of links (the
/// resolution limit), which is exactly what an analyst must see apart. <c>resolution</c> above 1 favours smaller groups.
/// </summary>
public static class Louvain
{
    private const double MinGain = 1e-9;

    public static CommunityResult Detect(LinkGraph graph, int seed = 1, double resolution = 1.0, int maxLevels = 20)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolution);
        var n = graph.NodeCount;

        // Level graph: CSR with weights; a self-loop (folded internal weight) is kept apart in `self`.
        var offsets = graph.Offsets;
        var targets = graph.Targets;
        var weights = Array.ConvertAll(graph.Weights, w => (double)w);
        var self = new double[n];
        var membership = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        var levels = 0;
        var totalWeight = weights.Sum() / 2;
        if (totalWeight == 0)
        {
            return new CommunityResult(graph.Nodes.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal), n, 0, 0);
        }

        // Twice the link weight of each node's component: the denominator of its modularity gains.
        var componentWeight = ComponentWeights(n, offsets, targets, weights);
        while (levels < maxLevels)
        {
            var size = self.Length;
            var community = OneLevel(size, offsets, targets, weights, self, componentWeight, resolution, random, out var moved);
            if (!moved)
            {
                break;
            }

            levels++;

            // Renumber communities densely and fold.
            var renumber = new int[size];
            Array.Fill(renumber, -1);
            var count = 0;
            for (var i = 0; i < size; i++)
            {
                if (renumber[community[i]] < 0)
                {
                    renumber[community[i]] = count++;
                }
            }

            for (var i = 0; i < n; i++)
            {
                membership[i] = renumber[community[membership[i]]];
            }

            var folded = new double[count];
            for (var i = 0; i < size; i++)
            {
                folded[renumber[community[i]]] = componentWeight[i];
            }

            componentWeight = folded;
            (offsets, targets, weights, self) = Fold(size, count, offsets, targets, weights, self, community, renumber);
        }

        var result = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            result[graph.Nodes[i]] = membership[i];
        }

        return new CommunityResult(result, membership.Distinct().Count(), Modularity(graph, membership), levels);
    }

    /// <summary>Newman's modularity of a partition given as one community number per node.</summary>
    public static double Modularity(LinkGraph graph, IReadOnlyList<int> membership)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(membership);
        var m2 = 0.0;
        var internalWeight = new Dictionary<int, double>();
        var total = new Dictionary<int, double>();
        for (var i = 0; i < graph.NodeCount; i++)
        {
            var c = membership[i];
            for (var e = graph.Offsets[i]; e < graph.Offsets[i + 1]; e++)
            {
                var w = graph.Weights[e];
                m2 += w;
                total[c] = total.GetValueOrDefault(c) + w;
                if (membership[graph.Targets[e]] == c)
                {
                    internalWeight[c] = internalWeight.GetValueOrDefault(c) + w;
                }
            }
        }

        return m2 == 0 ? 0 : total.Sum(kv => (internalWeight.GetValueOrDefault(kv.Key) / m2) - Math.Pow(kv.Value / m2, 2));
    }

    private static double[] ComponentWeights(int n, int[] offsets, int[] targets, double[] weights)
    {
        var label = new int[n];
        Array.Fill(label, -1);
        var sums = new List<double>();
        var queue = new int[n];
        for (var start = 0; start < n; start++)
        {
            if (label[start] >= 0)
            {
                continue;
            }

            int head = 0, tail = 0;
            var sum = 0.0;
            label[start] = sums.Count;
            queue[tail++] = start;
            while (head < tail)
            {
                var v = queue[head++];
                for (var e = offsets[v]; e < offsets[v + 1]; e++)
                {
                    sum += weights[e];
                    if (label[targets[e]] < 0)
                    {
                        label[targets[e]] = sums.Count;
                        queue[tail++] = targets[e];
                    }
                }
            }

            sums.Add(sum);
        }

        return Array.ConvertAll(label, l => sums[l]);
    }

    private static int[] OneLevel(
        int size, int[] offsets, int[] targets, double[] weights, double[] self, double[] componentWeight, double resolution, Random random, out bool movedAny)
    {
        var community = Enumerable.Range(0, size).ToArray();
        var degree = new double[size];
        for (var i = 0; i < size; i++)
        {
            var k = 2 * self[i];
            for (var e = offsets[i]; e < offsets[i + 1]; e++)
            {
                k += weights[e];
            }

            degree[i] = k;
        }

        var tot = (double[])degree.Clone();
        var order = Enumerable.Range(0, size).ToArray();
        random.Shuffle(order);
        var toCommunity = new double[size];
        var touched = new List<int>();
        movedAny = false;
        bool moved;
        var passes = 0;
        do
        {
            moved = false;
            passes++;
            foreach (var node in order)
            {
                var own = community[node];
                touched.Clear();
                for (var e = offsets[node]; e < offsets[node + 1]; e++)
                {
                    var c = community[targets[e]];
                    if (toCommunity[c] == 0)
                    {
                        touched.Add(c);
                    }

                    toCommunity[c] += weights[e];
                }

                // Take the node out, then put it where the gain k_i,in - tot_c k_i / 2m is largest (its own community
                // included, so a node only moves for a real gain).
                var k = degree[node];
                var m2 = componentWeight[node] / resolution;
                if (m2 == 0)
                {
                    continue;
                }

                tot[own] -= k;
                var best = own;
                var bestGain = toCommunity[own] - (tot[own] * k / m2);
                foreach (var c in touched)
                {
                    var gain = toCommunity[c] - (tot[c] * k / m2);
                    if (gain > bestGain + MinGain)
                    {
                        (best, bestGain) = (c, gain);
                    }
                }

                tot[best] += k;
                if (best != own)
                {
                    community[node] = best;
                    moved = movedAny = true;
                }

                foreach (var c in touched)
                {
                    toCommunity[c] = 0;
                }

                toCommunity[own] = 0;
            }
        }
        while (moved && passes < 100);

        return community;
    }

    private static (int[] Offsets, int[] Targets, double[] Weights, double[] Self) Fold(
        int size, int count, int[] offsets, int[] targets, double[] weights, double[] self, int[] community, int[] renumber)
    {
        var newSelf = new double[count];
        var edges = new Dictionary<long, double>();
        for (var i = 0; i < size; i++)
        {
            var ci = renumber[community[i]];
            newSelf[ci] += self[i];
            for (var e = offsets[i]; e < offsets[i + 1]; e++)
            {
                var j = targets[e];
                if (j < i)
                {
                    continue;
                }

                var cj = renumber[community[j]];
                if (ci == cj)
                {
                    newSelf[ci] += weights[e];
                    continue;
                }

                var key = ((long)Math.Min(ci, cj) << 32) | (uint)Math.Max(ci, cj);
                edges[key] = edges.GetValueOrDefault(key) + weights[e];
            }
        }

        var newOffsets = new int[count + 1];
        foreach (var key in edges.Keys)
        {
            newOffsets[(int)(key >> 32) + 1]++;
            newOffsets[(int)(key & 0xffffffff) + 1]++;
        }

        for (var i = 0; i < count; i++)
        {
            newOffsets[i + 1] += newOffsets[i];
        }

        var fill = newOffsets[..count];
        var newTargets = new int[edges.Count * 2];
        var newWeights = new double[edges.Count * 2];
        foreach (var (key, w) in edges)
        {
            var (a, b) = ((int)(key >> 32), (int)(key & 0xffffffff));
            newTargets[fill[a]] = b;
            newWeights[fill[a]++] = w;
            newTargets[fill[b]] = a;
            newWeights[fill[b]++] = w;
        }

        return (newOffsets, newTargets, newWeights, newSelf);
    }
}
