using Jisr.Bench.Matching;
using Jisr.Matching.Names;
using static System.FormattableString;

namespace Jisr.Bench.Exchange;

/// <summary>
/// Hit/no-hit name keys on the dev sets, each pair on its own: the recall of same-person pairs (one name filed, the other
/// checked, keys in common) and how many different-person pairs hit, for the keys as built and for variants that file
/// held names under more part keys. Run: <c>dotnet run --project bench/Jisr.Bench -c Release -- hitkeys [TSV...]</c>.
/// </summary>
internal static class HitKeyRecallBench
{
    public static void Run(IReadOnlyList<string> files)
    {
        var data = NameData.Locate();
        var variants = new (string Name, Func<string, HashSet<ulong>> Filing)[]
        {
            ("as built: part pairs (one-part names by their part)", n => [.. NameMatchKeys.ForFiling(n).Keys.Select(k => k.Key)]),
            ("+ the last part alone", n => [.. NameMatchKeys.ForFiling(n).Keys.Select(k => k.Key), .. Part(NameParser.Parse(n).LastOrDefault())]),
            ("+ rare parts alone (frequency weight 1)", n => [.. NameMatchKeys.ForFiling(n).Keys.Select(k => k.Key), .. NameParser.Parse(n).Where(t => t.Weight >= 1).SelectMany(Part)]),
            ("+ parts of weight >= 0.6 alone", n => [.. NameMatchKeys.ForFiling(n).Keys.Select(k => k.Key), .. NameParser.Parse(n).Where(t => t.Weight >= 0.6).SelectMany(Part)]),
            ("+ every part alone", n => [.. NameMatchKeys.ForQuery(n).Keys.Select(k => k.Key)]),
        };
        foreach (var file in files.Count > 0 ? files : ["dev.tsv", "un-dev.tsv"])
        {
            var pairs = NameData.ReadPairs(Path.IsPathRooted(file) ? file : Path.Combine(data, file));
            var same = pairs.Where(p => p.Label).ToList();
            var different = pairs.Where(p => !p.Label).ToList();
            Console.WriteLine(Invariant($"## {Path.GetFileName(file)} ({same.Count} same-person, {different.Count} different-person pairs)"));
            Console.WriteLine("| held names filed under | recall A->B | recall B->A | different-person hits A->B | B->A |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, filing) in variants)
            {
                bool Hits(string query, string held)
                {
                    var keys = filing(held);
                    return NameMatchKeys.ForQuery(query).Keys.Any(k => keys.Contains(k.Key));
                }

                double Rate(List<LabelledPair> set, bool aToB) => set.Count(p => aToB ? Hits(p.A, p.B) : Hits(p.B, p.A)) / (double)Math.Max(1, set.Count);
                Console.WriteLine(Invariant($"| {name} | {Rate(same, true):F4} | {Rate(same, false):F4} | {Rate(different, true):F4} | {Rate(different, false):F4} |"));
            }
        }
    }

    /// <summary>The part keys of one part, as a one-part name is filed.</summary>
    private static IEnumerable<ulong> Part(NameToken? part) =>
        part is null || part.IsInitial ? [] : NameMatchKeys.ForQuery(part.Original).Keys.Where(k => k.PartA == k.PartB).Select(k => k.Key);
}
