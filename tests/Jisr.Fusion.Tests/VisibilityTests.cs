using Jisr.Fusion.Graph;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;

namespace Jisr.Fusion.Tests;

/// <summary>
/// Fusion sees only what the caller's stores return for the requesting user. Over random worlds and random
/// visibility, nothing it answers (proposals and their explanations, xref hits, paths, neighbourhoods, communities,
/// rankings) names an entity outside what it was given, even when an analyst's judgement or a link points there.
/// </summary>
public class VisibilityTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Nothing_fusion_answers_contains_an_entity_the_user_may_not_see(int seed)
    {
        var random = new Random(seed);
        var world = SyntheticWorld.Generate(new WorldOptions { Seed = seed, Persons = 300 });

        // A user sees some agencies' holdings and, of the rest, a random share (released copies).
        var agencies = world.Records.Select(r => r.Agency).Distinct().Order().ToList();
        var own = agencies.Where(_ => random.Next(3) == 0).ToHashSet();
        var visible = world.Records.Where(r => own.Contains(r.Agency) || random.NextDouble() < 0.3).Select(r => r.Id).ToHashSet();
        var records = world.Records.Where(r => visible.Contains(r.Id)).ToList();
        var hiddenNames = world.Records.Where(r => !visible.Contains(r.Id)).SelectMany(r => r.Names)
            .Except(records.SelectMany(r => r.Names)).ToHashSet();

        // The store hands over links whose two ends the user may see; the judgements table holds every pair judged.
        var links = world.Links.Where(l => visible.Contains(l.From) && visible.Contains(l.To)).ToList();
        var judgements = Enumerable.Range(0, 50)
            .Select(_ => new RecordPair(world.Records[random.Next(world.Records.Count)].Id, world.Records[random.Next(world.Records.Count)].Id))
            .Where(p => p.First != p.Second)
            .Distinct()
            .ToDictionary(p => p, _ => random.Next(2) == 0 ? Judgement.Confirmed : Judgement.Rejected);

        void AssertVisible(string id) => Assert.Contains(id, visible);
        foreach (var p in EntityResolver.Resolve(records, links, judgements))
        {
            AssertVisible(p.A);
            AssertVisible(p.B);
            Assert.DoesNotContain(p.Evidence, e => world.Records.Any(r => !visible.Contains(r.Id) && e.Detail.Contains(r.Id + " ", StringComparison.Ordinal)));
            // Explanations quote the names they compare: no quoted name belongs only to a hidden record.
            Assert.DoesNotContain(p.Evidence, e => hiddenNames.Any(n => e.Detail.Contains($"'{n}'", StringComparison.Ordinal)));
        }

        var probes = records.Where(r => own.Contains(r.Agency)).ToList();
        foreach (var hit in EntityResolver.CrossReference(probes, records, links, judgements))
        {
            AssertVisible(hit.A);
            AssertVisible(hit.B);
        }

        var groups = EntityResolver.Group(records, EntityResolver.Resolve(records, links, judgements), links);
        Assert.All(groups.SelectMany(g => g), AssertVisible);

        // The graph the user gets is the whole graph filtered to what they may see; every answer stays inside it.
        var full = LinkGraph.Build(world.Links, world.Records.Select(r => r.Id));
        var graph = full.Subgraph(visible.Contains);
        Assert.All(graph.Nodes, AssertVisible);
        Assert.All(graph.Edges(), e => { AssertVisible(e.A); AssertVisible(e.B); });
        foreach (var _ in Enumerable.Range(0, 20))
        {
            var a = records[random.Next(records.Count)].Id;
            var b = records[random.Next(records.Count)].Id;
            Assert.All(graph.ShortestPath(a, b, 20) ?? [], AssertVisible);
            Assert.All(graph.Neighbourhood(a, 3).Distances.Keys, AssertVisible);
        }

        Assert.All(Louvain.Detect(graph).CommunityOf.Keys, AssertVisible);
        Assert.All(Centrality.Betweenness(graph).Keys, AssertVisible);
        Assert.All(graph.ConnectedComponents().SelectMany(c => c), AssertVisible);
    }
}
