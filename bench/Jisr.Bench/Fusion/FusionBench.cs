using System.Diagnostics;
using System.Globalization;
using Jisr.Fusion.Graph;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;

namespace Jisr.Bench.Fusion;

/// <summary>
/// Fusion figures: cross-reference of N persons against N (synthetic world records split in two), neighbourhood
/// depth 2 around degree-500 entities in a graph of a million links, and community detection on that graph.
/// </summary>
internal static class FusionBench
{
    public static void Run(string[] args)
    {
        // --xref-only: the cross-reference figures alone (for profiling it without the graph's minutes).
        // --incremental: then a second run after 1% of the targets arrived and 0.5% of the probes changed, reusing the first.
        // --repeat N: the cross-reference N times on the one world (to compare builds within one process, on a shared machine).
        var xrefOnly = args.Contains("--xref-only");
        var repeatAt = Array.IndexOf(args, "--repeat");
        var repeat = repeatAt >= 0 && repeatAt + 1 < args.Length ? int.Parse(args[repeatAt + 1], CultureInfo.InvariantCulture) : 1;
        args = repeatAt >= 0 ? [.. args[..repeatAt], .. args[Math.Min(args.Length, repeatAt + 2)..]] : args;
        var incremental = args.Contains("--incremental");
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var sizes = numbers.Length > 0 ? numbers.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [100_000];
        foreach (var size in sizes.Where(s => s > 0))
        {
            Xref(size, incremental, repeat);
        }

        if (!xrefOnly)
        {
            GraphFigures(links: 1_000_000);
        }
    }

    private static void Xref(int perSide, bool incremental, int repeat)
    {
        var watch = Stopwatch.StartNew();

        // About two records a person: a world of `perSide` persons gives enough records for both sides.
        var world = SyntheticWorld.Generate(new WorldOptions { Persons = perSide + (perSide / 10), Seed = 42 });
        var probes = new List<PersonRecord>(perSide);
        var targets = new List<PersonRecord>(perSide);
        for (var i = 0; i < world.Records.Count && (probes.Count < perSide || targets.Count < perSide); i++)
        {
            (i % 2 == 0 && probes.Count < perSide ? probes : targets.Count < perSide ? targets : probes).Add(world.Records[i]);
        }

        var generated = watch.Elapsed.TotalSeconds;
        for (var run = 0; run < repeat; run++)
        {
            XrefOnce(world, probes, targets, generated);
        }

        if (incremental)
        {
            Incremental(probes, targets);
        }
    }

    private static void XrefOnce(SyntheticWorld world, List<PersonRecord> probes, List<PersonRecord> targets, double generated)
    {
        var watch = Stopwatch.StartNew();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var hits = EntityResolver.CrossReference(probes, targets);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var managed = (GC.GetTotalMemory(forceFullCollection: false) - before) / (1024.0 * 1024.0);
        var right = hits.Count(h => world.TruthOfRecord[SyntheticWorld.RecordIndex(h.A)] == world.TruthOfRecord[SyntheticWorld.RecordIndex(h.B)]);

        // Recall: of the probe-target pairs that are one person in the world, how many came back as hits.
        var targetsOfPerson = targets.GroupBy(t => world.TruthOfRecord[SyntheticWorld.RecordIndex(t.Id)]).ToDictionary(g => g.Key, g => g.Count());
        var truePairs = probes.Sum(p => (long)targetsOfPerson.GetValueOrDefault(world.TruthOfRecord[SyntheticWorld.RecordIndex(p.Id)]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"xref {probes.Count} x {targets.Count}: {seconds:F1} s wall, {cpuSeconds:F1} s CPU on {Environment.ProcessorCount} cores (a shared machine's wall clock misleads; CPU/cores is the idle-machine estimate), {hits.Count} hits, {right} true (precision {(double)right / Math.Max(1, hits.Count):P2}, recall {(double)right / Math.Max(1, truePairs):P2} of {truePairs} true pairs), world generated in {generated:F1} s, managed +{managed:F0} MB, process peak {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB"));
    }

    /// <summary>A first run that keeps its state without the last 1% of the targets, then the run after they arrived and 0.5% of the probes changed.</summary>
    private static void Incremental(List<PersonRecord> probes, List<PersonRecord> targets)
    {
        var arriving = targets.Count / 100;
        var before = targets[..^arriving];
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var first = EntityResolver.CrossReferenceIncremental(probes, before, null, null, null, null);
        var bytes = first.State.ToBytes();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"xref (incremental, first run: full) {probes.Count} x {before.Count}: {watch.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU; state {bytes.Length / (1024.0 * 1024.0):F1} MB compressed"));

        var changed = probes.Select((p, i) => i % 200 == 0 ? p with { DateOfBirth = null } : p).ToList();
        watch.Restart();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var state = XrefState.FromBytes(bytes);
        var next = EntityResolver.CrossReferenceIncremental(changed, targets, null, null, null, state);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        watch.Restart();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var full = EntityResolver.CrossReference(changed, targets);
        var fullCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var same = full.Count == next.Hits.Count && full.Zip(next.Hits).All(p => p.First.A == p.Second.A && p.First.B == p.Second.B && p.First.Score == p.Second.Score);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"xref (incremental, {arriving} targets arrived, {changed.Count / 200} probes changed): {next.Compared} of {changed.Count} probes compared ({next.ComparedInFull} against every candidate, the rest against changed targets and their previous hits), {seconds:F1} s wall, {cpuSeconds:F1} s CPU (state read included); the same full run {watch.Elapsed.TotalSeconds:F1} s wall, {fullCpu:F1} s CPU; hits equal: {same}"));
    }

    private static void GraphFigures(int links)
    {
        // Communities of 40 entities (nine links in ten inside), plus 100 hubs of degree 500 spread over the graph.
        var random = new Random(9);
        var nodes = links / 4;
        var list = new List<EntityLink>(links);
        const int hubs = 100;
        for (var h = 0; h < hubs; h++)
        {
            for (var i = 0; i < 500; i++)
            {
                list.Add(new EntityLink($"hub{h}", $"e{random.Next(nodes)}", "called"));
            }
        }

        while (list.Count < links)
        {
            var a = random.Next(nodes);
            var b = random.NextDouble() < 0.9 ? (a / 40 * 40) + random.Next(40) : random.Next(nodes);
            list.Add(new EntityLink($"e{a}", $"e{b}", "called"));
        }

        var watch = Stopwatch.StartNew();
        var buildCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var graph = LinkGraph.Build(list);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"graph: {graph.NodeCount} entities, {graph.EdgeCount} links ({graph.SelfLinksIgnored} self-links dropped, {graph.DuplicatesMerged} merged) built in {watch.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - buildCpu).TotalSeconds:F1} s CPU"));

        var latencies = new List<double>();
        var sizes = new List<int>();
        for (var round = 0; round < 10; round++)
        {
            for (var h = 0; h < hubs; h++)
            {
                var started = Stopwatch.GetTimestamp();
                var around = graph.Neighbourhood($"hub{h}", 2, maxNodes: 50_000);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                sizes.Add(around.Distances.Count);
            }
        }

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"neighbourhood depth 2 around degree-500 entities ({latencies.Count} queries, {sizes.Average():F0} entities and their links each): p50 {latencies[latencies.Count / 2]:F2} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F2} ms, max {latencies[^1]:F2} ms"));

        watch.Restart();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var communities = Louvain.Detect(graph);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"communities (Louvain, one thread): {communities.Count} in {watch.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU, modularity {communities.Modularity:F3}, {communities.Levels} levels"));

        watch.Restart();
        var components = graph.ConnectedComponents();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"connected components (QuikGraph): {components.Count} in {watch.Elapsed.TotalSeconds:F1} s"));

        watch.Restart();
        var betweenness = Centrality.Betweenness(graph, samples: 64);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"betweenness (64 sampled sources): {watch.Elapsed.TotalSeconds:F1} s, top entity {betweenness.MaxBy(kv => kv.Value).Key}; process peak {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB"));
    }
}
