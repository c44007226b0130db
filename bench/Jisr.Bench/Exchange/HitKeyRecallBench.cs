using Jisr.Bench.Matching;
using Jisr.Exchange.HitCheck;
using Jisr.Matching.Names;
using static System.FormattableString;

namespace Jisr.Bench.Exchange;

/// <summary>
/// Hit/no-hit name keys on the dev sets, each pair on its own: the recall of same-person pairs (one name filed, the other
/// checked, keys in common) and the false hits, i.e. the different-person pairs that hit (a request sent for nothing),
/// for the keys as built (<see cref="NameKeyScope.AsBuilt"/>) and for the other scopes of part keys, with how many keys a
/// query looks up (each has a 2^-24 chance of a filter error). Run: <c>dotnet run --project bench/Jisr.Bench -c Release -- hitkeys [TSV...]</c>.
/// </summary>
internal static class HitKeyRecallBench
{
    public static void Run(IReadOnlyList<string> files)
    {
        var data = NameData.Locate();
        if (files.Count > 0 && files[0] == "--misses")
        {
            foreach (var file in files.Count > 1 ? files.Skip(1) : ["un-dev.tsv"])
            {
                PrintMisses(Path.IsPathRooted(file) ? file : Path.Combine(data, file));
            }

            return;
        }

        var scopes = new (string Name, NameKeyScope Scope)[]
        {
            ("key scheme 1: part pairs, one-part names by their part", NameKeyScope.PairsOnly),
            ("+ one-part names meet any name with the part", new(0, int.MaxValue, double.PositiveInfinity)),
            ("+ the same, part weight >= 0.4", new(0.4, int.MaxValue, double.PositiveInfinity)),
            ("+ two-part vs 4+ parts, part weight >= 0.4 (key scheme 2)", NameKeyScope.Scheme2),
            ("+ two-part vs 4+ parts, part weight >= 0.6", new(0.4, 4, 0.6)),
            ("+ two-part vs 3+ parts, part weight >= 0.4", new(0.4, 3, 0.4)),
            ("+ two-part vs 2+ parts, part weight >= 0.4", new(0.4, 2, 0.4)),
            ("+ two-part vs 2+ parts, any part", new(0, 2, 0)),
            ("scheme 2 + short parts joined to the next", NameKeyScope.Scheme2 with { Rules = NameKeyRules.JoinShortParts }),
            ("scheme 2 + Abd- without a kept article", NameKeyScope.Scheme2 with { Rules = NameKeyRules.AbdArticle }),
            ("scheme 2 + one part beside a kunya or tribe as a one-part name", NameKeyScope.Scheme2 with { Rules = NameKeyRules.AffiliationAliases }),
            ("scheme 2 + two parts after a title as a one-part name", NameKeyScope.Scheme2 with { Rules = NameKeyRules.TitledAliases }),
            ("scheme 2 + Abd- names alone without the Abd", NameKeyScope.Scheme2 with { Rules = NameKeyRules.AbdStripped }),
            ("key scheme 3 (as built: all five)", NameKeyScope.AsBuilt),
        };
        foreach (var file in files.Count > 0 ? files : ["dev.tsv", "un-dev.tsv"])
        {
            var pairs = NameData.ReadPairs(Path.IsPathRooted(file) ? file : Path.Combine(data, file));
            var same = pairs.Where(p => p.Label).ToList();
            var different = pairs.Where(p => !p.Label).ToList();
            Console.WriteLine(Invariant($"## {Path.GetFileName(file)} ({same.Count} same-person, {different.Count} different-person pairs)"));
            Console.WriteLine("| held names filed under | recall A->B | recall B->A | false hits A->B | B->A | query keys mean / max | filed keys per name |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, scope) in scopes)
            {
                bool Hits(string query, string held)
                {
                    var keys = NameMatchKeys.ForFiling(held, scope).Keys.Select(k => k.Key).ToHashSet();
                    return NameMatchKeys.ForQuery(query, scope).Keys.Any(k => keys.Contains(k.Key));
                }

                double Rate(List<LabelledPair> set, bool aToB) => set.Count(p => aToB ? Hits(p.A, p.B) : Hits(p.B, p.A)) / (double)Math.Max(1, set.Count);
                var queryKeys = pairs.SelectMany(p => new[] { p.A, p.B }).Select(n => NameMatchKeys.ForQuery(n, scope).Keys.Count).ToList();
                var filedKeys = pairs.SelectMany(p => new[] { p.A, p.B }).Average(n => NameMatchKeys.ForFiling(n, scope).Keys.Count);
                Console.WriteLine(Invariant($"| {name} | {Rate(same, true):F4} | {Rate(same, false):F4} | {Rate(different, true):F4} | {Rate(different, false):F4} | {queryKeys.Average():F1} / {queryKeys.Max()} | {filedKeys:F2} |"));
            }

            // Hash-split halves (SHA-256 of the pair's text, first bit): a rule that holds on one half and not the other was fitted to pairs, not to a category.
            Console.WriteLine();
            Console.WriteLine("| half | scheme | same-person pairs | recall (both ways) | different-person pairs | answered (both ways) |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            foreach (var half in new[] { 0, 1 })
            {
                var mine = pairs.Where(p => (System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(p.A + "\t" + p.B))[0] & 1) == half).ToList();
                foreach (var (name, scope) in new[] { ("2", NameKeyScope.Scheme2), ("3", NameKeyScope.AsBuilt) })
                {
                    bool Hits(string query, string held)
                    {
                        var keys = NameMatchKeys.ForFiling(held, scope).Keys.Select(k => k.Key).ToHashSet();
                        return NameMatchKeys.ForQuery(query, scope).Keys.Any(k => keys.Contains(k.Key));
                    }

                    double Both(List<LabelledPair> set) => set.Sum(p => (Hits(p.A, p.B) ? 1 : 0) + (Hits(p.B, p.A) ? 1 : 0)) / (2.0 * Math.Max(1, set.Count));
                    var s = mine.Where(p => p.Label).ToList();
                    var d = mine.Where(p => !p.Label).ToList();
                    Console.WriteLine(Invariant($"| {"AB"[half]} | {name} | {s.Count} | {Both(s):F4} | {d.Count} | {Both(d):F4} |"));
                }
            }

            // The possible tier (key scheme 2's filters as they are; the query also looks up its parts as one-part
            // queries do): hit, or possible hit, for the keys as built.
            Console.WriteLine();
            Console.WriteLine("| as built + possible hits through one part of weight >= | recall A->B | B->A | false hits or possible A->B | B->A | true pairs found as possible only (both ways) | query keys mean / max |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var weight in new[] { 0.4, 0.6, 0.8, 1.0 })
            {
                bool Either(string query, string held)
                {
                    var keys = NameMatchKeys.ForFiling(held).Keys.Select(k => k.Key).ToHashSet();
                    return NameMatchKeys.ForQuery(query).Keys.Concat(NameMatchKeys.PossibleForQuery(query, weight).Keys).Any(k => keys.Contains(k.Key));
                }

                bool Strong(string query, string held)
                {
                    var keys = NameMatchKeys.ForFiling(held).Keys.Select(k => k.Key).ToHashSet();
                    return NameMatchKeys.ForQuery(query).Keys.Any(k => keys.Contains(k.Key));
                }

                double Rate(List<LabelledPair> set, bool aToB) => set.Count(p => aToB ? Either(p.A, p.B) : Either(p.B, p.A)) / (double)Math.Max(1, set.Count);
                var possibleOnly = same.Sum(p => (Either(p.A, p.B) && !Strong(p.A, p.B) ? 1 : 0) + (Either(p.B, p.A) && !Strong(p.B, p.A) ? 1 : 0)) / (double)Math.Max(1, 2 * same.Count);
                var queryKeys = pairs.SelectMany(p => new[] { p.A, p.B }).Select(n => NameMatchKeys.ForQuery(n).Keys.Count + NameMatchKeys.PossibleForQuery(n, weight).Keys.Count).ToList();
                Console.WriteLine(Invariant($"| {weight:F1} | {Rate(same, true):F4} | {Rate(same, false):F4} | {Rate(different, true):F4} | {Rate(different, false):F4} | {possibleOnly:F4} | {queryKeys.Average():F1} / {queryKeys.Max()} |"));
            }

            Console.WriteLine();
        }

        Console.WriteLine(Invariant($"filter error per key looked up: {BinaryFuseFilter.FalsePositiveRate:E2}"));
    }

    /// <summary>The same-person pairs the keys as built miss (either way), each name with its parts: to study by category.</summary>
    private static void PrintMisses(string file)
    {
        static string Parts(string name) => string.Join(" ", NameParser.Parse(name).Select(t => Invariant($"[{t.Skeleton}{(t.BareSkeleton is { } b ? "/" + b : "")} {t.Weight:F2}{(t.Kind == NamePartKind.Name ? "" : " " + t.Kind)}{(t.IsInitial ? " init" : "")}]")));
        bool Strong(string query, string held)
        {
            var keys = NameMatchKeys.ForFiling(held).Keys.Select(k => k.Key).ToHashSet();
            return NameMatchKeys.ForQuery(query).Keys.Any(k => keys.Contains(k.Key));
        }

        foreach (var p in NameData.ReadPairs(file).Where(p => p.Label))
        {
            var ab = Strong(p.A, p.B);
            var ba = Strong(p.B, p.A);
            if (!ab || !ba)
            {
                Console.WriteLine(Invariant($"{(ab ? "  " : "AB")} {(ba ? "  " : "BA")} {p.A} | {p.B}\n      {Parts(p.A)} | {Parts(p.B)}"));
            }
        }

        // The different-person pairs scheme 3 answers and scheme 2 did not: what its rules cost.
        bool Scheme2(string query, string held)
        {
            var keys = NameMatchKeys.ForFiling(held, NameKeyScope.Scheme2).Keys.Select(k => k.Key).ToHashSet();
            return NameMatchKeys.ForQuery(query, NameKeyScope.Scheme2).Keys.Any(k => keys.Contains(k.Key));
        }

        Console.WriteLine("different-person pairs answered by scheme 3 only:");
        foreach (var p in NameData.ReadPairs(file).Where(p => !p.Label))
        {
            var ab = Strong(p.A, p.B) && !Scheme2(p.A, p.B);
            var ba = Strong(p.B, p.A) && !Scheme2(p.B, p.A);
            if (ab || ba)
            {
                Console.WriteLine(Invariant($"{(ab ? "AB" : "  ")} {(ba ? "BA" : "  ")} {p.A} | {p.B} ({p.Kind})"));
            }
        }
    }
}
