using Jisr.Exchange.HitCheck;
using Jisr.Matching.Names;

namespace Jisr.Exchange.Tests;

/// <summary>
/// The dev sets' same-person pairs, one name held by one node and the other checked by its partner, each pair on its
/// own (another pair's name of the same person must not help): a hit needs a keyed name key in common.
/// </summary>
public sealed class HitRecallTests
{
    [Theory]
    [InlineData("dev.tsv", 0.999)] // measured 0.9995 both ways (key schemes 2 and 3)
    [InlineData("un-dev.tsv", 0.98)] // key scheme 3: measured 0.9868 and 0.9831 (scheme 2: 0.938 both ways)
    public void SamePersonPairs_HitAcrossScriptsAndSpellings_BothWays(string file, double floor)
    {
        var pairs = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "names", file)).Skip(1)
            .Select(l => l.Split('\t')).Where(c => c[2] == "1").Select(c => (A: c[0], B: c[1])).ToList();
        var key = new HitKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var hasher = key.CreateHasher();
        HashSet<ulong> Held(string name) => [.. NameMatchKeys.ForFiling(name).Keys.Select(k => hasher.Name(k.Key))];
        bool Hits(string query, string held) => NameMatchKeys.ForQuery(query).Keys.Any(k => Held(held).Contains(hasher.Name(k.Key)));

        var aToB = pairs.Count(p => Hits(p.A, p.B)) / (double)pairs.Count;
        var bToA = pairs.Count(p => Hits(p.B, p.A)) / (double)pairs.Count;

        // dev.tsv: transliterations; un-dev.tsv also pairs a full name with a short alias (Abu Ali al-Hakim, Mullah Abdul
        // Rauf Aliza, Abdul Sattar Barakzai) and writes compounds joined or apart (Abdel Hamid / عابد حامد): key scheme 3's
        // rules (see NameMatchKeys). Left unfound: aliases sharing no part or only a common one (Abu Anas, Ali Salim).
        Assert.True(aToB >= floor && bToA >= floor, $"recall A->B {aToB:F4}, B->A {bToA:F4} over {pairs.Count} pairs");
        Assert.False(Hits("Youssef El Idrissi", "Karim Benali"));
    }

    [Theory]
    [InlineData("dev.tsv", 0.06)] // measured 0.047 with key schemes 2 and 3 (0.035 with pair keys alone; 0.31 if two-part names met three-part ones)
    [InlineData("un-dev.tsv", 0.13)] // key scheme 3: measured 0.126 and 0.128 (scheme 2: 0.111 and 0.113; pair keys alone 0.075 and 0.081)
    public void DifferentPersonPairs_RarelyHit_TheAliasKeysStayScoped(string file, double ceiling)
    {
        var pairs = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "names", file)).Skip(1)
            .Select(l => l.Split('\t')).Where(c => c[2] == "0").Select(c => (A: c[0], B: c[1])).ToList();
        bool Hits(string query, string held)
        {
            var keys = NameMatchKeys.ForFiling(held).Keys.Select(k => k.Key).ToHashSet();
            return NameMatchKeys.ForQuery(query).Keys.Any(k => keys.Contains(k.Key));
        }

        var aToB = pairs.Count(p => Hits(p.A, p.B)) / (double)pairs.Count;
        var bToA = pairs.Count(p => Hits(p.B, p.A)) / (double)pairs.Count;

        // A different-person hit sends a request (and a notice to the owner) for nothing.
        Assert.True(aToB <= ceiling && bToA <= ceiling, $"different-person hits A->B {aToB:F4}, B->A {bToA:F4} over {pairs.Count} pairs");
    }

    [Theory]
    [InlineData("dev.tsv", 0.999, 0.80)] // measured 1.000; different-person pairs hit or possible 0.773 (hit alone 0.047)
    [InlineData("un-dev.tsv", 0.99, 0.33)] // key scheme 3: measured 0.9925 both ways; 0.318 and 0.320 (hit alone 0.126 and 0.128)
    public void WithPossibleHits_SamePersonPairsAreFound_AndTheCostIsBounded(string file, double floor, double ceiling)
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "names", file)).Skip(1).Select(l => l.Split('\t')).ToList();
        bool Found(string query, string held)
        {
            var keys = NameMatchKeys.ForFiling(held).Keys.Select(k => k.Key).ToHashSet();
            return NameMatchKeys.ForQuery(query).Keys.Concat(NameMatchKeys.PossibleForQuery(query).Keys).Any(k => keys.Contains(k.Key));
        }

        double Rate(string label, bool aToB)
        {
            var pairs = rows.Where(c => c[2] == label).ToList();
            return pairs.Count(c => aToB ? Found(c[0], c[1]) : Found(c[1], c[0])) / (double)pairs.Count;
        }

        // A true hit is not lost (answered at least as possible); the price: many different persons sharing one part
        // are answered as possible too, which is why such an answer is marked and never counted as a hit.
        Assert.True(Rate("1", true) >= floor && Rate("1", false) >= floor, $"recall with possible hits A->B {Rate("1", true):F4}, B->A {Rate("1", false):F4}");
        Assert.True(Rate("0", true) <= ceiling && Rate("0", false) <= ceiling, $"different-person pairs hit or possible A->B {Rate("0", true):F4}, B->A {Rate("0", false):F4}");
    }
}
