using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Jisr.Fusion.Graph;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;
using Xunit.Abstractions;

namespace Jisr.Fusion.Tests;

public class GraphTests(ITestOutputHelper output)
{
    private static EntityLink L(string a, string b, string type = "called") => new(a, b, type);

    [Fact]
    public void Planted_cells_and_brokers_are_found_in_the_graph_of_resolved_persons()
    {
        // The whole chain: records resolved into persons, their links folded onto persons, then analytics.
        var world = SyntheticWorld.Generate();
        var groups = EntityResolver.Group(world.Records, EntityResolver.Resolve(world.Records, world.Links), world.Links);
        var personOf = groups.SelectMany(g => g.Select(id => (id, person: g[0]))).ToDictionary(x => x.id, x => x.person);
        var graph = LinkGraph.Build(world.Links.Select(l => l with { From = personOf[l.From], To = personOf[l.To] }), groups.Select(g => g[0]));
        var communities = Louvain.Detect(graph, seed: 3);

        var truth = new Dictionary<string, int>();
        var found = new Dictionary<string, int>();
        foreach (var record in world.Records)
        {
            var person = world.Persons[world.TruthOfRecord[SyntheticWorld.RecordIndex(record.Id)]];
            if (person.Cell >= 0)
            {
                truth[record.Id] = person.Cell;
                found[record.Id] = communities.CommunityOf[personOf[record.Id]];
            }
        }

        var ari = PartitionAgreement.AdjustedRandIndex(truth, found);
        output.WriteLine($"persons {graph.NodeCount}, edges {graph.EdgeCount}, communities {communities.Count}, modularity {communities.Modularity:F3}, ARI {ari:F3}");
        Assert.True(ari >= 0.8, $"adjusted Rand index {ari:F3}");

        var top5 = Centrality.Betweenness(graph).OrderByDescending(kv => kv.Value).Take(5).Select(kv => kv.Key).ToList();
        var brokers = world.Persons.Where(p => p.IsBroker).Select(p => p.Index).ToHashSet();
        var topTruth = top5.Select(id => world.TruthOfRecord[SyntheticWorld.RecordIndex(id)]).ToList();
        output.WriteLine($"top 5 by betweenness: {string.Join(", ", topTruth.Select(t => brokers.Contains(t) ? $"broker p{t}" : $"p{t}"))}");
        Assert.All(brokers, b => Assert.Contains(b, topTruth));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Planted_cells_are_recovered_from_the_true_links_of_other_worlds(int seed)
    {
        var world = SyntheticWorld.Generate(new WorldOptions { Seed = seed });
        var graph = LinkGraph.Build(world.TrueLinks.Select(l => L($"p{l.A}", $"p{l.B}")), world.Persons.Select(p => $"p{p.Index}"));
        var communities = Louvain.Detect(graph);
        var members = world.Persons.Where(p => p.Cell >= 0).ToList();
        var ari = PartitionAgreement.AdjustedRandIndex(
            members.ToDictionary(p => p.Index, p => p.Cell),
            members.ToDictionary(p => p.Index, p => communities.CommunityOf[$"p{p.Index}"]));
        Assert.True(ari >= 0.9, $"ARI {ari:F3}");
        var top = Centrality.Betweenness(graph).OrderByDescending(kv => kv.Value).Take(5).Select(kv => kv.Key).ToList();
        Assert.All(world.Persons.Where(p => p.IsBroker), b => Assert.Contains($"p{b.Index}", top));
    }

    [Fact]
    public void Neighbourhoods_give_distances_and_the_links_among_what_they_include()
    {
        // a - b - c - d, with a triangle b - e - c and an isolated pair x - y.
        var graph = LinkGraph.Build([L("a", "b"), L("b", "c"), L("c", "d"), L("b", "e"), L("e", "c"), L("x", "y")]);
        var one = graph.Neighbourhood("b", 1);
        Assert.Equal(new Dictionary<string, int> { ["b"] = 0, ["a"] = 1, ["c"] = 1, ["e"] = 1 }, one.Distances);
        Assert.Equal(4, one.Edges.Count); // a-b, b-c, b-e, e-c; c-d leaves the neighbourhood
        Assert.DoesNotContain(one.Edges, e => e.A == "d" || e.B == "d");

        var two = graph.Neighbourhood("a", 2);
        Assert.Equal(2, two.Distances["c"]);
        Assert.False(two.Distances.ContainsKey("d"));
        Assert.Equal(["a"], graph.Neighbourhood("a", 0).Distances.Keys);
        Assert.Empty(graph.Neighbourhood("nobody", 3).Distances);
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.Neighbourhood("a", -1));
    }

    [Fact]
    public void Self_links_are_dropped_duplicates_merged_and_cycles_harmless()
    {
        var graph = LinkGraph.Build([L("a", "a"), L("a", "b"), L("b", "a", "owns"), L("a", "b"), L("b", "c"), L("c", "a")]);
        Assert.Equal(1, graph.SelfLinksIgnored);
        Assert.Equal(2, graph.DuplicatesMerged);
        Assert.Equal(3, graph.EdgeCount);
        var ab = graph.Edges().Single(e => (e.A, e.B) is ("a", "b") or ("b", "a"));
        Assert.Equal(3, ab.Weight);
        Assert.Equal(["called", "owns"], ab.Types.Order());
        Assert.Equal(3, graph.Neighbourhood("a", 5).Distances.Count);
        Assert.Equal(["a", "c"], graph.ShortestPath("a", "c"));
        Assert.Single(graph.ConnectedComponents());
    }

    [Fact]
    public void A_hub_with_100000_links_is_capped_not_returned_whole()
    {
        var links = Enumerable.Range(0, 100_000).Select(i => L("hub", $"n{i}")).Append(L("n1", "far")).ToList();
        var graph = LinkGraph.Build(links);
        Assert.Equal(100_000, graph.Degree("hub"));
        var around = graph.Neighbourhood("hub", 2, maxNodes: 1_000);
        Assert.Equal(1_000, around.Distances.Count);
        Assert.True(around.Truncated);
        Assert.Equal(99_001, around.Omitted); // the hub's neighbours beyond the first 999; the search stops there
        Assert.Equal(["n5", "hub", "n1", "far"], graph.ShortestPath("n5", "far"));
        // A path's link to a hub's 100,000th neighbour is found (a depth-1 neighbourhood stops at its cap first).
        var edge = graph.Edge("n99999", "hub")!;
        Assert.Equal(("hub", "n99999", 1), (edge.A, edge.B, edge.Weight));
        Assert.Equal(["called"], edge.Types);
        Assert.Equal(edge.A, graph.Edge("hub", "n99999")!.A);
        Assert.Null(graph.Edge("n5", "far"));
        Assert.Equal("hub", Centrality.Betweenness(graph).MaxBy(kv => kv.Value).Key);
    }

    [Fact]
    public void Shortest_paths_are_shortest_and_absent_when_nothing_joins()
    {
        var random = new Random(4);
        var links = Enumerable.Range(0, 400).Select(_ => L($"v{random.Next(150)}", $"v{random.Next(150)}")).ToList();
        var graph = LinkGraph.Build(links);
        foreach (var (s, t) in Enumerable.Range(0, 40).Select(_ => ($"v{random.Next(150)}", $"v{random.Next(150)}")))
        {
            if (!graph.Contains(s) || !graph.Contains(t))
            {
                continue;
            }

            var path = graph.ShortestPath(s, t, maxLength: 50);
            var distance = graph.Neighbourhood(s, 50, int.MaxValue).Distances.GetValueOrDefault(t, -1);
            if (distance < 0)
            {
                Assert.Null(path);
                continue;
            }

            Assert.NotNull(path);
            Assert.Equal(distance + 1, path.Count);
            Assert.Equal(s, path[0]);
            Assert.Equal(t, path[^1]);
            for (var i = 1; i < path.Count; i++)
            {
                Assert.Contains(path[i], graph.Neighbourhood(path[i - 1], 1).Distances.Keys);
            }
        }

        var split = LinkGraph.Build([L("a", "b"), L("c", "d")]);
        Assert.Null(split.ShortestPath("a", "d"));
        Assert.Null(LinkGraph.Build([L("a", "b"), L("b", "c"), L("c", "d")]).ShortestPath("a", "d", maxLength: 2));
        Assert.Equal(2, split.ConnectedComponents().Count);
    }

    [Fact]
    public void Louvain_splits_a_ring_of_cliques_into_its_cliques()
    {
        var links = new List<EntityLink>();
        for (var c = 0; c < 6; c++)
        {
            for (var i = 0; i < 5; i++)
            {
                for (var j = i + 1; j < 5; j++)
                {
                    links.Add(L($"c{c}-{i}", $"c{c}-{j}"));
                }
            }

            links.Add(L($"c{c}-0", $"c{(c + 1) % 6}-1"));
        }

        var graph = LinkGraph.Build(links);
        var result = Louvain.Detect(graph);
        Assert.Equal(6, result.Count);
        Assert.All(result.Groups(), g => Assert.Single(g.Select(id => id.Split('-')[0]).Distinct()));

        // Modularity of six 5-cliques (10 links each) joined in a ring (66 links): 6 * (10/66 - (22/132)^2).
        Assert.Equal(6 * ((10.0 / 66) - Math.Pow(22.0 / 132, 2)), result.Modularity, 6);
        Assert.Equal(0, Louvain.Detect(LinkGraph.Build([], ["lonely"])).Modularity);
    }

    [Fact]
    public void Betweenness_matches_the_known_values_of_a_star_and_a_path()
    {
        var star = LinkGraph.Build(Enumerable.Range(0, 6).Select(i => L("centre", $"leaf{i}")));
        var b = Centrality.Betweenness(star);
        Assert.Equal(15, b["centre"], 9); // C(6, 2) pairs of leaves, all through the centre
        Assert.Equal(0, b["leaf3"], 9);

        var path = Centrality.Betweenness(LinkGraph.Build([L("1", "2"), L("2", "3"), L("3", "4")]));
        Assert.Equal([0.0, 2.0, 2.0, 0.0], new[] { "1", "2", "3", "4" }.Select(k => path[k]));

        var degree = star.DegreeCentrality();
        Assert.Equal(1.0, degree["centre"]);
        Assert.Equal(1.0 / 6, degree["leaf0"], 9);
    }

    [Fact]
    public void A_subgraph_keeps_only_what_the_filter_admits()
    {
        var graph = LinkGraph.Build([L("a", "b"), L("b", "c"), L("c", "d"), L("a", "d")]);
        var visible = graph.Subgraph(id => id != "b");
        Assert.Equal(["a", "c", "d"], visible.Nodes.Order());
        Assert.Equal(["a", "d", "c"], visible.ShortestPath("a", "c"));
        Assert.DoesNotContain(visible.Edges(), e => e.A == "b" || e.B == "b");
    }

    [Fact]
    public void GraphML_and_JSON_exports_carry_every_node_and_edge_and_escape_what_they_carry()
    {
        var graph = LinkGraph.Build([L("a", "b", "called"), L("b", "c<script>", "owns")]);
        var labels = new Dictionary<string, string> { ["a"] = "محمد \"بنعلي\" & <co>", ["b"] = "tab\u0001bell" };
        var communities = Louvain.Detect(graph);
        var attributes = new NodeAttributes(labels, communities.CommunityOf, Centrality.Betweenness(graph));

        var xml = new StringWriter();
        GraphExport.WriteGraphMl(graph, xml, attributes);
        var document = XDocument.Parse(xml.ToString());
        XNamespace ns = "http://graphml.graphdrawing.org/xmlns";
        Assert.Equal(3, document.Descendants(ns + "node").Count());
        Assert.Equal(2, document.Descendants(ns + "edge").Count());
        Assert.Contains(document.Descendants(ns + "data"), d => d.Value == "محمد \"بنعلي\" & <co>");
        Assert.Contains(document.Descendants(ns + "node"), n => (string?)n.Attribute("id") == "c<script>");
        Assert.Contains(document.Descendants(ns + "data"), d => d.Value == "tab\uFFFDbell");

        using var stream = new MemoryStream();
        GraphExport.WriteJson(graph, stream, attributes);
        using var json = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(3, json.RootElement.GetProperty("nodes").GetArrayLength());
        Assert.Equal(2, json.RootElement.GetProperty("links").GetArrayLength());
        Assert.Contains(json.RootElement.GetProperty("nodes").EnumerateArray(), n => n.TryGetProperty("label", out var l) && l.GetString() == labels["a"]);
        Assert.DoesNotContain("<script>", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }
}
