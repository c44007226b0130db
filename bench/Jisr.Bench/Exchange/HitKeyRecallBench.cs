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
        var scopes = new (string Name, NameKeyScope Scope)[]
        {
            ("key scheme 1: part pairs, one-part names by their part", NameKeyScope.PairsOnly),
            ("+ one-part names meet any name with the part", new(0, int.MaxValue, double.PositiveInfinity)),
            ("+ the same, part weight >= 0.4", new(0.4, int.MaxValue, double.PositiveInfinity)),
            ("+ two-part vs 4+ parts, part weight >= 0.4 (as built, scheme 2)", NameKeyScope.AsBuilt),
            ("+ two-part vs 4+ parts, part weight >= 0.6", new(0.4, 4, 0.6)),
            ("+ two-part vs 3+ parts, part weight >= 0.4", new(0.4, 3, 0.4)),
            ("+ two-part vs 2+ parts, part weight >= 0.4", new(0.4, 2, 0.4)),
            ("+ two-part vs 2+ parts, any part", new(0, 2, 0)),
        };
        foreach (var file in files.Count > 0 ? files : ["dev.tsv", "un-dev.tsv"])
        {
            var pairs = NameData.ReadPairs(Path.IsPathRooted(file) ? file : Path.Combine(data, file));
            var same = pairs.Where(p => p.Label).ToList();
            var different = pairs.Where(p => !p.Label).ToList();
            Console.WriteLine(Invariant($"## {Path.GetFileName(file)} ({same.Count} same-person, {different.Count} different-person pairs)"));
            Console.WriteLine("| held names filed under | recall A->B | recall B->A | false hits A->B | B->A | query keys mean / max |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, scope) in scopes)
            {
                bool Hits(string query, string held)
                {
                    var keys = NameMatchKeys.ForFiling(held, scope).Keys.Select(k => k.Key).ToHashSet();
                    return NameMatchKeys.ForQuery(query, scope).Keys.Any(k => keys.Contains(k.Key));
                }

                double Rate(List<LabelledPair> set, bool aToB) => set.Count(p => aToB ? Hits(p.A, p.B) : Hits(p.B, p.A)) / (double)Math.Max(1, set.Count);
                var queryKeys = pairs.SelectMany(p => new[] { p.A, p.B }).Select(n => NameMatchKeys.ForQuery(n, scope).Keys.Count).ToList();
                Console.WriteLine(Invariant($"| {name} | {Rate(same, true):F4} | {Rate(same, false):F4} | {Rate(different, true):F4} | {Rate(different, false):F4} | {queryKeys.Average():F1} / {queryKeys.Max()} |"));
            }
        }

        Console.WriteLine(Invariant($"filter error per key looked up: {BinaryFuseFilter.FalsePositiveRate:E2}"));
    }
}
