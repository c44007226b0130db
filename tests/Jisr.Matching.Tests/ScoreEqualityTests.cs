using System.Globalization;
using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>
/// Speed work must not move a score: every pair of both development sets, and each first name against another pair's
/// second name, scores exactly (to the last bit) what <c>scores-reference.tsv</c> recorded before the matcher was made
/// faster; the index's shortcuts (parts stored once, similarities computed once per query, a bounded top-k) give
/// the very scores and ranking that scoring every candidate name directly gives.
/// </summary>
public sealed class ScoreEqualityTests
{
    private static readonly List<(string A, string B, double Score)> Reference =
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "scores-reference.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Select(c => (c[0], c[1], double.Parse(c[2], NumberStyles.Float, CultureInfo.InvariantCulture)))];

    [Fact]
    public void Scores_AreTheRecordedOnes_ToTheLastBit()
    {
        Assert.True(Reference.Count > 10_000, $"{Reference.Count} reference pairs");
        var differ = Reference.Where(r => BitConverter.DoubleToInt64Bits(NameMatcher.Score(r.A, r.B)) != BitConverter.DoubleToInt64Bits(r.Score)).ToList();

        Assert.True(differ.Count == 0, $"{differ.Count} scores moved, e.g. {string.Join("; ", differ.Take(3).Select(d => $"{d.A} / {d.B}: {d.Score:R} -> {NameMatcher.Score(d.A, d.B):R}"))}");
    }

    [Fact]
    public void Explain_GivesTheSameScoreAsScore()
    {
        foreach (var (a, b, score) in Reference.Where((_, i) => i % 7 == 0))
        {
            Assert.Equal(score, NameMatcher.Explain(a, b).Score);
        }
    }

    [Fact]
    public void IndexQuery_GivesExactlyTheScoresAndOrderOfScoringEveryCandidateDirectly()
    {
        var names = Reference.SelectMany(r => new[] { r.A, r.B }).Distinct().ToList();
        var index = NameIndex<int>.Build(names.Select((n, i) => (i, n)));
        var parsed = names.Select(n => Compacted(NameParser.Parse(n))).ToList();

        foreach (var query in names.Where((_, i) => i % 23 == 0))
        {
            foreach (var k in new[] { 1, 10, 200 })
            {
                var top = index.Query(query, k);
                var reached = names.Select((_, i) => i).Where(i => index.Contains(query, i)).ToList();
                Assume(reached.Count <= NameIndex<int>.MaxCandidates); // below the cap, the candidates are every name the keys reach

                // Directly: every reached name scored on its own, best first, equal scores in build order.
                var q = Compacted(NameParser.Parse(query));
                var expected = reached.Select(i => (Id: i, Score: NameMatcher.Score(q, parsed[i])))
                    .OrderByDescending(c => c.Score).ThenBy(c => c.Id).Take(k).ToList();

                Assert.True(expected.Select(e => $"{e.Id} {e.Score:R}").SequenceEqual(top.Select(c => $"{c.Id} {c.Score:R}")),
                    $"query {query}: " + string.Join("; ", expected.Zip(top).Where(p => p.First.Id != p.Second.Id || p.First.Score != p.Second.Score).Take(3).Select(p => $"{names[p.First.Id]} {p.First.Score:R} / {names[p.Second.Id]} {p.Second.Score:R} (direct {NameMatcher.Score(q, parsed[p.Second.Id]):R})")));
            }
        }
    }

    private static void Assume(bool condition) => Assert.True(condition, "the test index is small enough that no query reaches the candidate cap");

    /// <summary>What the index keeps of a parsed name (an Arabic or one-letter part's original is its spelling).</summary>
    private static NameToken[] Compacted(IReadOnlyList<NameToken> tokens) =>
        [.. tokens.Select(t => t.IsArabic || t.IsInitial ? t with { Original = t.Spelling } : t)];
}
