using System.Diagnostics;
using System.Globalization;
using Jisr.Matching.Names;

namespace Jisr.Bench.Matching;

/// <summary>
/// Name matching figures: pair scoring throughput on one core, building an index over 1,000,000 synthetic names,
/// and top-10 query latency and recall of the dev set's true matches hidden among them.
/// </summary>
internal static class MatchingBench
{
    public static void Run(int names)
    {
        var data = NameData.Locate();
        var dev = NameData.ReadPairs(Path.Combine(data, "dev.tsv"));

        // Pair scoring: parse and score both names each time, exactly as `jisr match pairs` does; then the two halves
        // apart (parsing alone, scoring parsed names). CPU time of this thread next to wall-clock: the machine is shared.
        var pairs = dev.Select(p => (p.A, p.B)).ToArray();
        Console.WriteLine($"load average: {CpuClock.LoadAverage()}");
        var checksum = 0.0;
        Measure("pair-scoring", () =>
        {
            foreach (var (a, b) in pairs)
            {
                checksum += NameMatcher.Score(a, b);
            }
        });
        Measure("parse-only", () =>
        {
            foreach (var (a, b) in pairs)
            {
                checksum += NameParser.Parse(a).Count + NameParser.Parse(b).Count;
            }
        });
        var parsed = pairs.Select(p => (NameParser.Parse(p.A), NameParser.Parse(p.B))).ToArray();
        Measure("score-parsed", () =>
        {
            foreach (var (a, b) in parsed)
            {
                checksum += NameMatcher.Score(a, b);
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (checksum {checksum:F0})"));
        if (names == 0)
        {
            return; // pair figures only
        }

        void Measure(string label, Action round)
        {
            // Warm up for two seconds: on a loaded machine the tier-1 JIT runs late, and the first figure would pay for it.
            for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(2);)
            {
                round();
            }

            var cpu = CpuClock.Thread();
            var timer = Stopwatch.StartNew();
            var rounds = 0;
            while (timer.Elapsed < TimeSpan.FromSeconds(3))
            {
                round();
                rounds++;
            }

            var wall = timer.Elapsed.TotalSeconds;
            var cpuSeconds = (CpuClock.Thread() - cpu).TotalSeconds;
            var done = (double)rounds * pairs.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {done / cpuSeconds:F0} pairs per CPU-second on one thread; {done / wall:F0} pairs/s wall-clock ({cpuSeconds:F2} CPU-s in {wall:F2} s)"));
        }

        // Index: synthetic names with the dev set's first names hidden among them.
        var positives = dev.Where(p => p.Label).ToList();
        var synthetic = SyntheticNames.Generate(Path.Combine(data, "wikidata_name_tokens_top3000.tsv"), names - positives.Count, seed: 7);
        var entries = synthetic.Select((n, i) => (Id: i, Name: n)).Concat(positives.Select((p, i) => (Id: -1 - i, Name: p.A))).ToList();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var index = NameIndex<int>.Build(entries);
        var buildSeconds = watch.Elapsed.TotalSeconds;
        entries.Clear();
        synthetic.Clear();
        var memory = (GC.GetTotalMemory(forceFullCollection: true) - before) / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index-build: {index.Count} names in {buildSeconds:F1} s, {memory:F0} MB managed memory (process peak {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB)"));

        // Queries: the other side of each positive pair must bring its partner into the top 10.
        var latencies = new double[positives.Count];
        var cpuTimes = new double[positives.Count];
        var found = 0;
        Console.WriteLine($"load average: {CpuClock.LoadAverage()}");
        for (var i = 0; i < positives.Count; i++)
        {
            var cpu = CpuClock.Thread();
            var started = Stopwatch.GetTimestamp();
            var top = index.Query(positives[i].B, 10);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            cpuTimes[i] = (CpuClock.Thread() - cpu).TotalMilliseconds;

            // The dev set writes one person many ways, so other dev entries may rightly rank first; recall asks whether
            // the true match stays in the top 10 against the million synthetic names, so the other dev entries are set aside.
            // Homonyms (a synthetic name written exactly like the match) tie with it; a tie at the 10th place counts as found.
            var againstDistractors = index.Query(positives[i].B, 10 + 64).Where(c => c.Id >= 0 || c.Id == -1 - i).Take(10).ToList();
            var truth = NameMatcher.Score(positives[i].B, positives[i].A);
            if (againstDistractors.Any(c => c.Id == -1 - i) || (againstDistractors.Count == 10 && truth >= againstDistractors[^1].Score && index.Contains(positives[i].B, -1 - i)))
            {
                found++;
            }
            else if (Environment.GetEnvironmentVariable("JISR_BENCH_SHOW_MISSES") is not null)
            {
                Console.WriteLine($"  missed: {positives[i].B}  ->  {positives[i].A}  (score {NameMatcher.Score(positives[i].A, positives[i].B):F3})");
            }
        }

        if (Environment.GetEnvironmentVariable("JISR_BENCH_SHOW_TOP") is { } probe)
        {
            foreach (var candidate in index.Query(probe, 12))
            {
                Console.WriteLine($"  top: {candidate.Score:F3} {candidate.Name} ({candidate.Id})");
            }
        }

        Array.Sort(latencies);
        Array.Sort(cpuTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"query-top10: p50 {latencies[latencies.Length / 2]:F3} ms, p99 {latencies[(int)(latencies.Length * 0.99)]:F3} ms wall-clock; CPU p50 {cpuTimes[cpuTimes.Length / 2]:F3} ms, p99 {cpuTimes[(int)(cpuTimes.Length * 0.99)]:F3} ms, mean {cpuTimes.Average():F3} ms; recall@10 {found / (double)positives.Count:F4} ({found}/{positives.Count} dev positives)"));
        QueryFigures(index, positives, 200, "query-top200 (the person match endpoint asks each agency's index for 10 x 20)");

        // The same answers without the score-bound pruning (candidates whose bound cannot enter the top k are not scored).
        QueryFigures(index, positives, 10, "query-top10 without pruning", prune: false);
        QueryFigures(index, positives, 200, "query-top200 without pruning", prune: false);
        QueryFigures(index, positives, 10, "query-top10 with pruning (again, same order of runs)");
        QueryFigures(index, positives, 200, "query-top200 with pruning (again)");
    }

    private static void QueryFigures(NameIndex<int> index, List<LabelledPair> positives, int k, string label, bool prune = true)
    {
        var wall = new double[positives.Count];
        var cpu = new double[positives.Count];
        for (var i = 0; i < positives.Count; i++)
        {
            var cpuStart = CpuClock.Thread();
            var started = Stopwatch.GetTimestamp();
            _ = index.Query(NameParser.Parse(positives[i].B), k, prune);
            wall[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            cpu[i] = (CpuClock.Thread() - cpuStart).TotalMilliseconds;
        }

        Array.Sort(wall);
        Array.Sort(cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: p50 {wall[wall.Length / 2]:F3} ms, p99 {wall[(int)(wall.Length * 0.99)]:F3} ms wall-clock; CPU p50 {cpu[cpu.Length / 2]:F3} ms, p99 {cpu[(int)(cpu.Length * 0.99)]:F3} ms, mean {cpu.Average():F3} ms; load average {CpuClock.LoadAverage()}"));
    }

    /// <summary>
    /// Writes every pair of the given sets, and each first name against the second name of the pair 37 lines on (mostly
    /// non-matches), with its score in round-trip form: the reference the score-equality test holds the matcher to.
    /// </summary>
    public static void WriteScores(IEnumerable<string> paths, TextWriter output)
    {
        output.Write("name_a\tname_b\tscore\n");
        foreach (var path in paths)
        {
            var pairs = NameData.ReadPairs(path);
            for (var i = 0; i < pairs.Count; i++)
            {
                foreach (var (a, b) in new[] { (pairs[i].A, pairs[i].B), (pairs[i].A, pairs[(i + 37) % pairs.Count].B) })
                {
                    output.Write($"{a}\t{b}\t{NameMatcher.Score(a, b).ToString("R", CultureInfo.InvariantCulture)}\n");
                }
            }
        }
    }
}

internal sealed record LabelledPair(string A, string B, bool Label, string Kind);

internal static class NameData
{
    /// <summary>tests/data/names in the repository, found from the working directory or the binary's folder.</summary>
    public static string Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "data", "names");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/data/names not found: run from the repository");
    }

    public static List<LabelledPair> ReadPairs(string path) =>
        [.. File.ReadLines(path).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length >= 4).Select(c => new LabelledPair(c[0], c[1], c[2] == "1", c[3]))];
}

/// <summary>Names built from real name parts in both scripts: 2-4 parts, Arabic script or one of several Latin styles.</summary>
internal static class SyntheticNames
{
    public static List<string> Generate(string tokensPath, int count, int seed)
    {
        var parts = File.ReadLines(tokensPath).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length >= 2).Select(c => (Arabic: c[0], Latin: c[1])).ToArray();
        var random = new Random(seed);
        var names = new List<string>(count);

        // Given names (and fathers' names) follow a steep Zipf-like curve: a few are very common. Family names are far
        // more diverse, so the last part is drawn evenly from the list.
        (string Arabic, string Latin) Given() => parts[(int)(parts.Length * Math.Pow(random.NextDouble(), 2))];
        (string Arabic, string Latin) Family() => parts[random.Next(parts.Length)];

        for (var i = 0; i < count; i++)
        {
            var n = 2 + (random.Next(10) < 3 ? 1 : 0) + (random.Next(10) == 0 ? 1 : 0);
            var chosen = Enumerable.Range(0, n - 1).Select(_ => Given()).Append(Family()).ToArray();
            names.Add((i % 4) switch
            {
                0 => string.Join(' ', chosen.Select(c => c.Arabic)),
                1 => string.Join(' ', chosen.Select(c => Title(c.Latin))),
                2 => $"{chosen[^1].Latin.ToUpperInvariant()} {string.Join(' ', chosen[..^1].Select(c => Title(c.Latin)))}",
                _ => string.Join(' ', chosen.Select(c => c.Latin)),
            });
        }

        return names;
    }

    private static string Title(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
