namespace Jisr.Fusion.Graph;

/// <summary>
/// Betweenness centrality by Brandes' algorithm (2001) on the unweighted graph: how often an entity lies on the
/// shortest paths between others, which points at brokers and couriers between cells. Exact from every source up to
/// <c>exactUpTo</c> nodes; beyond, estimated from a seeded sample of sources (Brandes and Pich 2007) and scaled up.
/// QuikGraph has no betweenness, so it is written here on the graph's flat arrays.
/// </summary>
public static class Centrality
{
    public static IReadOnlyDictionary<string, double> Betweenness(LinkGraph graph, int exactUpTo = 20_000, int samples = 500, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var n = graph.NodeCount;
        var sources = Enumerable.Range(0, n).ToArray();
        var scale = 1.0;
        if (n > exactUpTo)
        {
            new Random(seed).Shuffle(sources);
            sources = sources[..Math.Min(samples, n)];
            scale = (double)n / sources.Length;
        }

        var total = new double[n];
        var gate = new object();
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, sources.Length, Math.Max(1, sources.Length / (Environment.ProcessorCount * 4))),
            () => (Sum: new double[n], Sigma: new double[n], Delta: new double[n], Distance: new int[n], Stack: new int[n], Queue: new int[n]),
            (range, _, s) =>
            {
                Array.Fill(s.Distance, -1);
                for (var k = range.Item1; k < range.Item2; k++)
                {
                    Accumulate(graph, sources[k], s.Sum, s.Sigma, s.Delta, s.Distance, s.Stack, s.Queue);
                }

                return s;
            },
            s =>
            {
                lock (gate)
                {
                    for (var i = 0; i < n; i++)
                    {
                        total[i] += s.Sum[i];
                    }
                }
            });

        // Undirected: each pair was counted from both ends.
        var result = new Dictionary<string, double>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            result[graph.Nodes[i]] = total[i] * scale / 2;
        }

        return result;
    }

    private static void Accumulate(LinkGraph graph, int source, double[] sum, double[] sigma, double[] delta, int[] distance, int[] stack, int[] queue)
    {
        var offsets = graph.Offsets;
        var targets = graph.Targets;
        int head = 0, tail = 0, top = 0;
        sigma[source] = 1;
        distance[source] = 0;
        queue[tail++] = source;
        while (head < tail)
        {
            var v = queue[head++];
            stack[top++] = v;
            for (var e = offsets[v]; e < offsets[v + 1]; e++)
            {
                var w = targets[e];
                if (distance[w] < 0)
                {
                    distance[w] = distance[v] + 1;
                    queue[tail++] = w;
                }

                if (distance[w] == distance[v] + 1)
                {
                    sigma[w] += sigma[v];
                }
            }
        }

        while (top > 0)
        {
            var w = stack[--top];
            for (var e = offsets[w]; e < offsets[w + 1]; e++)
            {
                var v = targets[e];
                if (distance[v] == distance[w] - 1)
                {
                    delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
                }
            }

            if (w != source)
            {
                sum[w] += delta[w];
            }
        }

        // Reset only what this source touched.
        for (var i = 0; i < tail; i++)
        {
            var v = queue[i];
            sigma[v] = 0;
            delta[v] = 0;
            distance[v] = -1;
        }
    }
}

/// <summary>Agreement between two partitions of the same items, for measuring recovered cells against planted ones.</summary>
public static class PartitionAgreement
{
    /// <summary>Hubert and Arabie's adjusted Rand index: 1 for identical partitions, about 0 for chance.</summary>
    public static double AdjustedRandIndex<T>(IReadOnlyDictionary<T, int> truth, IReadOnlyDictionary<T, int> found)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(found);
        var items = truth.Keys.Where(found.ContainsKey).ToList();
        static double Pairs(double x) => x * (x - 1) / 2;
        var contingency = items.GroupBy(i => (truth[i], found[i])).Sum(g => Pairs(g.Count()));
        var a = items.GroupBy(i => truth[i]).Sum(g => Pairs(g.Count()));
        var b = items.GroupBy(i => found[i]).Sum(g => Pairs(g.Count()));
        var all = Pairs(items.Count);
        if (all == 0)
        {
            return 1;
        }

        var expected = a * b / all;
        var max = (a + b) / 2;
        return max == expected ? 1 : (contingency - expected) / (max - expected);
    }
}
