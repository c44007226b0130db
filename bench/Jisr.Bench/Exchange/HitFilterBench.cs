using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Jisr.Bench.Matching;
using Jisr.Exchange.HitCheck;

namespace Jisr.Bench.Exchange;

/// <summary>
/// Hit/no-hit filters: build one over N entries (70% synthetic names in Latin and Arabic script, 30% identifiers),
/// its size per entry, the measured false-positive rate on random keys, and checks of names and identifiers against
/// five partners' filters. Wall-clock and CPU time side by side (the development machine is shared).
/// </summary>
internal static class HitFilterBench
{
    public static void Run(int entries)
    {
        var data = NameData.Locate();
        var names = SyntheticNames.Generate(Path.Combine(data, "wikidata_name_tokens_top3000.tsv"), entries * 7 / 10, seed: 7);
        var random = new Random(42);
        // Identifiers as users write them; normalised once before the clock starts (the node keeps them normalised).
        var identifiers = Enumerable.Range(0, entries - names.Count).Select(i => (i % 3) switch
        {
            0 => $"phone:+3361{i / 3 % 10_000_000:D7}",
            1 => $"email:user{i}@example{random.Next(1000)}.org",
            _ => $"passport:MA:{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{random.Next(1_000_000, 9_999_999)}",
        }).ToList();
        var keys = Enumerable.Range(0, 5).Select(_ => new HitKey(RandomNumberGenerator.GetBytes(32))).ToArray();
        var agreement = Guid.NewGuid();

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var identifierKeys = identifiers.Select(i => HitQuery.ForIdentifier(i).Text).ToList();
        var filter = HitFilter.Build(keys[0], agreement, 1, names, identifierKeys);
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var bytes = filter.ToBytes();
        Console.WriteLine(Inv($"build: {entries:N0} entries ({names.Count:N0} names, {identifiers.Count:N0} identifiers) -> {filter.Filter.KeyCount:N0} keys in {wall:F2} s wall, {cpuSeconds:F2} s CPU ({entries / cpuSeconds:N0} entries per CPU-second) on {Environment.ProcessorCount} cores; load average {LoadAverage()}"));
        Console.WriteLine(Inv($"size: {bytes.Length:N0} bytes = {bytes.Length / (double)entries:F2} bytes/entry, {bytes.Length / (double)filter.Filter.KeyCount:F2} bytes/key"));

        // False positives: random 64-bit keys (never added, with overwhelming probability) against the filter.
        var tries = 10_000_000;
        var falseHits = 0;
        for (var i = 0; i < tries; i++)
        {
            falseHits += filter.Filter.Contains((ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 32)) ? 1 : 0;
        }

        Console.WriteLine(Inv($"false-positive rate: {falseHits} of {tries:N0} random keys = {falseHits / (double)tries:E2} per key (stated {BinaryFuseFilter.FalsePositiveRate:E2}; a name query looks up about 4 to 10 keys, at most 40: `hitkeys`, so about {10 * BinaryFuseFilter.FalsePositiveRate:E2} per query, {40 * BinaryFuseFilter.FalsePositiveRate:E2} at worst)"));

        // Five partners' filters: distinct copies in memory, each under its own agreement key.
        var filters = keys.Select(_ => HitFilter.Read(bytes)).ToArray();
        var queries = SyntheticNames.Generate(Path.Combine(data, "wikidata_name_tokens_top3000.tsv"), 20_000, seed: 99)
            .Take(10_000).ToList();
        var latencies = new List<double>(queries.Count);
        var nameHits = 0;
        cpu = process.TotalProcessorTime;
        watch.Restart();
        foreach (var name in queries)
        {
            var started = Stopwatch.GetTimestamp();
            var query = HitQuery.ForName(name);
            var hit = false;
            for (var p = 0; p < filters.Length; p++)
            {
                hit |= query.Check(keys[0], filters[p]).Count > 0; // the right key for the first filter, the same bytes for the others
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            nameHits += hit ? 1 : 0;
        }

        var checkWall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var checkCpu = (process.TotalProcessorTime - cpu).TotalSeconds;
        latencies.Sort();
        Console.WriteLine(Inv($"check (name, 5 filters): p50 {latencies[latencies.Count / 2]:F3} ms, p99 {latencies[latencies.Count * 99 / 100]:F3} ms, max {latencies[^1]:F3} ms; {queries.Count / checkCpu:N0} checks per CPU-second ({checkCpu / queries.Count * 1000:F3} ms CPU each, {checkWall:F2} s wall for {queries.Count:N0})"));
        Console.WriteLine(Inv($"  other synthetic names that share a name key with the million (a hit to ask about, not a filter error): {nameHits} of {queries.Count:N0}"));

        var idLatencies = new List<double>();
        foreach (var id in identifiers.Take(10_000))
        {
            var started = Stopwatch.GetTimestamp();
            var query = HitQuery.ForIdentifier(id);
            var hits = 0;
            for (var p = 0; p < filters.Length; p++)
            {
                hits += query.Check(keys[0], filters[p]).Count;
            }

            idLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (hits != filters.Length)
            {
                throw new InvalidOperationException($"{id} was added but not found");
            }
        }

        idLatencies.Sort();
        Console.WriteLine(Inv($"check (identifier, 5 filters): p50 {idLatencies[idLatencies.Count / 2]:F3} ms, p99 {idLatencies[idLatencies.Count * 99 / 100]:F3} ms (every one of 10,000 held identifiers found in all five)"));
    }

    /// <summary>
    /// The synthetic names share many keys (3,000 tokens); the size bound is about distinct keys. This builds N
    /// three-part names of random syllables, each with three keys of its own: near the worst case per entry.
    /// </summary>
    public static void RunDistinct(int entries)
    {
        var random = new Random(5);
        string Part() => string.Concat(Enumerable.Range(0, 5).Select(_ => "bdfklmnrstz"[random.Next(11)].ToString() + "aiu"[random.Next(3)]));
        var names = Enumerable.Range(0, entries).Select(_ => $"{Part()} {Part()} {Part()}").ToList();
        var key = new HitKey(RandomNumberGenerator.GetBytes(32));
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var filter = HitFilter.Build(key, Guid.NewGuid(), 1, names, []);
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(Inv($"distinct: {entries:N0} random three-part names -> {filter.Filter.KeyCount:N0} keys in {wall:F2} s wall, {cpuSeconds:F2} s CPU; {filter.ByteLength:N0} bytes = {filter.ByteLength / (double)entries:F2} bytes/entry; load average {LoadAverage()}"));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
