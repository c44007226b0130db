using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>
/// The index skips scoring a candidate whose score bound (<see cref="NameMatcher.UpperBoundKnown"/>) is below the k
/// scores it already keeps. That is only sound if the bound is never below the score, and it must not change an answer:
/// the pruned query gives the same names, order and scores (to the last bit) as the query that scores every candidate,
/// on the labelled pairs of both development sets and on random names made of real name parts in both scripts.
/// </summary>
public sealed class PruningTests
{
    private static readonly List<string> Labelled =
        [.. new[] { "dev.tsv", "un-dev.tsv" }.SelectMany(file => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", file)).Skip(1))
            .Select(l => l.Split('\t')).SelectMany(c => new[] { c[0], c[1] }).Distinct(StringComparer.Ordinal)];

    private static readonly (string Arabic, string Latin)[] Parts =
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "wikidata_name_tokens_top3000.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Select(c => (c[0], c[1]))];

    [Fact]
    public void Bound_IsNeverBelowTheScore_OnLabelledAndRandomPairs()
    {
        Assert.True(Labelled.Count > 3_000, $"{Labelled.Count} labelled names");
        var random = new Random(11);
        var names = Labelled.Concat(RandomNames(random, 3_000)).Select(n => NameParser.Parse(n).ToArray()).Where(n => n.Length > 0).ToArray();
        var checkedPairs = 0;
        var tight = 0;
        Span<double> known = stackalloc double[NameMatcher.MaxLongerParts * NameMatcher.QueryParts];
        for (var p = 0; p < 60_000; p++)
        {
            // Half the pairs are a name against a close one (its labelled neighbour), so high scores are well represented.
            var at = random.Next(names.Length);
            var a = names[at];
            var b = names[p % 2 == 0 ? random.Next(names.Length) : Math.Min(names.Length - 1, at ^ 1)];
            var queryShorter = NameMatcher.IsShorter(a, b);
            Fill(a, b, queryShorter, known);
            var score = NameMatcher.ScoreKnown(a, b, known, queryShorter);
            var bound = NameMatcher.UpperBoundKnown(a, b, known, queryShorter);
            Assert.True(bound >= score, $"{string.Join(' ', a.Select(t => t.Original))} / {string.Join(' ', b.Select(t => t.Original))}: bound {bound:R} below score {score:R}");
            Assert.Equal(BitConverter.DoubleToInt64Bits(NameMatcher.Score(a, b)), BitConverter.DoubleToInt64Bits(score));
            checkedPairs++;
            tight += bound < 0.5 && score < 0.5 ? 1 : 0;
        }

        // A bound of 1 everywhere would pass the check above and prune nothing: most unrelated pairs must be bounded low.
        Assert.True(tight > checkedPairs / 4, $"only {tight} of {checkedPairs} pairs bounded below 0.5");
    }

    [Fact]
    public void PrunedQuery_GivesExactlyTheAnswerOfScoringEveryCandidate()
    {
        var random = new Random(5);
        var indexed = Labelled.Concat(RandomNames(random, 30_000)).ToList();
        var index = NameIndex<int>.Build(indexed.Select((n, i) => (i, n)));
        var queries = Labelled.Where((_, i) => i % 5 == 0).Concat(RandomNames(random, 400)).ToList();
        var compared = 0;
        foreach (var query in queries)
        {
            var parsed = NameParser.Parse(query);
            foreach (var k in new[] { 1, 10, 200 })
            {
                var pruned = index.Query(parsed, k, prune: true);
                var full = index.Query(parsed, k, prune: false);
                Assert.True(
                    full.Select(c => $"{c.Id} {BitConverter.DoubleToInt64Bits(c.Score)}").SequenceEqual(pruned.Select(c => $"{c.Id} {BitConverter.DoubleToInt64Bits(c.Score)}")),
                    $"query {query}, k {k}: pruned [{string.Join("; ", pruned.Take(5).Select(c => $"{c.Name} {c.Score:R}"))}] vs [{string.Join("; ", full.Take(5).Select(c => $"{c.Name} {c.Score:R}"))}]");
                compared += full.Count;
            }
        }

        Assert.True(compared > 10_000, $"only {compared} answers compared");
    }

    /// <summary>Two to five real name parts, each in Arabic script or its Latin form, sometimes an initial.</summary>
    private static IEnumerable<string> RandomNames(Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var arabic = random.Next(3) == 0;
            var parts = Enumerable.Range(0, random.Next(2, 6)).Select(_ =>
            {
                var (ar, lat) = Parts[random.Next(Parts.Length)];
                return arabic ? ar : random.Next(12) == 0 ? $"{char.ToUpperInvariant(lat[0])}." : lat;
            });
            yield return string.Join(' ', parts);
        }
    }

    /// <summary>The similarities as the index lays them out: per part of <paramref name="candidate"/>, one per part of <paramref name="query"/>, in score order.</summary>
    private static void Fill(NameToken[] query, NameToken[] candidate, bool queryShorter, Span<double> known)
    {
        for (var j = 0; j < Math.Min(candidate.Length, NameMatcher.MaxLongerParts); j++)
        {
            for (var i = 0; i < Math.Min(query.Length, NameMatcher.QueryParts); i++)
            {
                known[(j * NameMatcher.QueryParts) + i] = queryShorter ? TokenSimilarity.Of(query[i], candidate[j]) : TokenSimilarity.Of(candidate[j], query[i]);
            }
        }
    }
}
