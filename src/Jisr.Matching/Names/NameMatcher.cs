namespace Jisr.Matching.Names;

/// <summary>How one part of a name was matched to a part of the other.</summary>
public sealed record PartMatch(string A, string B, double Similarity, string How);

/// <summary>A score in [0, 1] with the part-by-part reasons for it.</summary>
public sealed record MatchExplanation(double Score, IReadOnlyList<PartMatch> Parts, IReadOnlyList<string> Unmatched, string Summary);

/// <summary>
/// Scores two names for being the same person, across Arabic script and Latin transliterations, family-first order,
/// missing or extra middle names and initials. Pure and thread-safe; never throws on any input.
/// </summary>
public static class NameMatcher
{
    /// <summary>Each part of the longer name left unmatched (a father's name, a second given name) costs this factor.</summary>
    private const double ExtraPartFactor = 0.96;

    /// <summary>An unmatched part at the start or the end of the longer name costs this factor.</summary>
    private const double EdgePartFactor = 0.9;

    public static double Score(string? a, string? b) => Score(NameParser.Parse(a), NameParser.Parse(b));

    public static double Score(IReadOnlyList<NameToken> a, IReadOnlyList<NameToken> b) => Compare(a, b, explain: false).Score;

    public static MatchExplanation Explain(string? a, string? b) => Compare(NameParser.Parse(a), NameParser.Parse(b), explain: true);

    private static MatchExplanation Compare(IReadOnlyList<NameToken> a, IReadOnlyList<NameToken> b, bool explain)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return new MatchExplanation(0, [], [], "one of the names has no readable part");
        }

        var (shorter, longer) = a.Count <= b.Count ? (a, b) : (b, a);
        var n = Math.Min(shorter.Count, 6);
        var m = Math.Min(longer.Count, 8);
        Span<double> sims = stackalloc double[n * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                sims[(i * m) + j] = TokenSimilarity.Of(shorter[i], longer[j]);
            }
        }

        // Best one-to-one assignment of the shorter name's parts (names have few parts: exhaustive search is cheap).
        Span<int> best = stackalloc int[n];
        Span<int> current = stackalloc int[n];
        var bestValue = -1.0;
        Assign(sims, n, m, 0, 0, current, best, ref bestValue, 0.0);

        double sum = 0, min = 1;
        for (var i = 0; i < n; i++)
        {
            var s = sims[(i * m) + best[i]];
            sum += s;
            min = Math.Min(min, s);
        }

        var mean = sum / n;

        // Every part of the shorter name must find its match: one wrong part (another given name, another family) drags the score down.
        var score = (0.4 * mean) + (0.6 * min);
        // A father's name or second given name (inside the longer name) may be missing; a part at either end of the
        // longer name (a family name, in either order) counts more when it has no counterpart.
        for (var j = 0; j < longer.Count; j++)
        {
            if (!best[..n].Contains(j))
            {
                score *= j == 0 || j == longer.Count - 1 ? EdgePartFactor : ExtraPartFactor;
            }
        }
        if (shorter.Count == 1 && longer.Count > 1)
        {
            score *= 0.8; // a single name part matching one part of a full name is weak evidence
        }

        score = Math.Clamp(score, 0, 1);
        if (!explain)
        {
            return new MatchExplanation(score, [], [], string.Empty);
        }

        var parts = new List<PartMatch>(n);
        var used = new HashSet<int>();
        for (var i = 0; i < n; i++)
        {
            used.Add(best[i]);
            var x = shorter[i];
            var y = longer[best[i]];
            parts.Add(new PartMatch(x.Original, y.Original, sims[(i * m) + best[i]], TokenSimilarity.Describe(x, y)));
        }

        var unmatched = longer.Where((_, j) => !used.Contains(j)).Select(t => t.Original).ToList();
        var summary = $"{parts.Count(p => p.Similarity >= 0.8)} of {parts.Count} parts match" + (unmatched.Count > 0 ? $"; extra parts: {string.Join(", ", unmatched)}" : string.Empty);
        return new MatchExplanation(score, parts, unmatched, summary);
    }

    private static void Assign(Span<double> sims, int n, int m, int row, int usedMask, Span<int> current, Span<int> best, ref double bestValue, double value)
    {
        if (row == n)
        {
            if (value > bestValue)
            {
                bestValue = value;
                current.CopyTo(best);
            }

            return;
        }

        for (var j = 0; j < m; j++)
        {
            if ((usedMask & (1 << j)) != 0)
            {
                continue;
            }

            current[row] = j;
            var s = sims[(row * m) + j];

            // Sum of squares prefers giving each part a strong match over several mediocre ones.
            Assign(sims, n, m, row + 1, usedMask | (1 << j), current, best, ref bestValue, value + (s * s));
        }
    }
}
