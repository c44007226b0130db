using System.Runtime.InteropServices;

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
    /// <summary>
    /// The one decision threshold: two names at or above it are the same person ("match"), below it at most
    /// "possible". Chosen once on the development data: the middle of the range of cuts (0.73 to 0.75) that keep the
    /// F1 of dev.tsv, of un-dev.tsv and of each hash-split half of both highest and used by every caller that decides: the person match endpoint, <c>jisr match pairs
    /// --decide</c>, watchlists, cross-references and hit/no-hit checks. Its precision and recall on each set are in
    /// the README.
    /// </summary>
    public const double MatchThreshold = 0.74;

    /// <summary>Whether a score calls a match (<see cref="MatchThreshold"/>).</summary>
    public static bool IsMatch(double score) => score >= MatchThreshold;

    /// <summary>
    /// Whether a query names only part of a person: fewer than two name parts besides initials (Bouzid, بوزيد,
    /// "Smail B."). Such a query can list who carries the part, never decide a match.
    /// </summary>
    public static bool IsPartial(string? name) => IsPartial(NameParser.Parse(name));

    public static bool IsPartial(IReadOnlyList<NameToken> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = 0;
        foreach (var token in name)
        {
            parts += token.IsInitial ? 0 : 1;
        }

        return parts < 2;
    }

    /// <summary>
    /// How well <paramref name="candidate"/> carries the parts of a partial <paramref name="query"/>, in [0, 1]: 0
    /// when a part or an initial has no counterpart; otherwise the parts' similarity weighted by their frequency
    /// weight (exact before variant, rare parts before common ones).
    /// </summary>
    public static double Carried(IReadOnlyList<NameToken> query, IReadOnlyList<NameToken> candidate)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        double carried = 0, weights = 0;
        var used = 0UL;
        for (var i = 0; i < Math.Min(query.Count, 8); i++)
        {
            var best = 0.0;
            var bestAt = -1;
            for (var j = 0; j < Math.Min(candidate.Count, 64); j++)
            {
                if ((used & (1UL << j)) != 0)
                {
                    continue;
                }

                var similarity = TokenSimilarity.Of(query[i], candidate[j]);
                if (similarity > best)
                {
                    (best, bestAt) = (similarity, j);
                }
            }

            if (bestAt < 0 || best < (query[i].IsInitial ? 0.8 : CarriedPart))
            {
                return 0;
            }

            used |= 1UL << bestAt;
            if (!query[i].IsInitial)
            {
                carried += best * candidate[bestAt].Weight;
                weights += candidate[bestAt].Weight;
            }
        }

        // Rare parts first: the weight itself counts, not only the share.
        return weights > 0 ? (carried / weights * 0.5) + (0.5 * Math.Min(1, carried)) : 0;
    }

    /// <summary>The part similarity from which a candidate carries a partial query's part (Bouzid, Bouzide, بوزيد).</summary>
    private const double CarriedPart = 0.8;

    /// <summary>How little a kunya (Abu X) the other name lacks counts against it: an alias form, not a contradiction.</summary>
    private const double MissingKunyaFactor = 0.1;

    /// <summary>The identity (summed weights of matched parts) at which a name inside a longer one is half-way to a full match.</summary>
    private const double EvidencePrior = 0.2;

    /// <summary>Below this part similarity a part explains nothing; at <see cref="CreditFull"/> and above, all of it.</summary>
    private const double CreditFloor = 0.5;

    private const double CreditFull = 0.9;

    /// <summary>The power that sharpens confidence: a little identity must not count as much as a little more.</summary>
    private const double EvidencePower = 3;

    /// <summary>How much a tribal name (Noorzai) the other name lacks counts against it: an affiliation one alias gives and another leaves out.</summary>
    private const double MissingTribeFactor = 0.5;

    /// <summary>
    /// A monotone rescale of the raw evidence score (which spreads matches over 0.5 to 1) onto the scale callers knew,
    /// where same-person pairs score above about 0.75; it keeps the order of scores.
    /// </summary>
    private const double ScalePower = 0.415;

    public static double Score(string? a, string? b) => Score(NameParser.Parse(a), NameParser.Parse(b));

    public static double Score(IReadOnlyList<NameToken> a, IReadOnlyList<NameToken> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Score(AsSpan(a), AsSpan(b));
    }

    public static MatchExplanation Explain(string? a, string? b) => Compare(NameParser.Parse(a), NameParser.Parse(b));

    /// <summary>The explanation of two names already parsed (<see cref="NameParser.Parse"/>): the same as explaining their texts.</summary>
    public static MatchExplanation Explain(IReadOnlyList<NameToken> a, IReadOnlyList<NameToken> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare(a, b);
    }

    /// <summary>The score alone, without allocating: the part similarities in a stack matrix, then <see cref="Evaluate"/>.</summary>
    internal static double Score(ReadOnlySpan<NameToken> a, ReadOnlySpan<NameToken> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var (n, m) = Ordered(a, b, out var shorter, out var longer);
        Span<double> sims = stackalloc double[n * m];
        Similarities(shorter, longer, n, m, sims);
        Span<int> best = stackalloc int[n];
        return Evaluate(shorter, longer, n, m, sims, best);
    }

    /// <summary>
    /// The score of a query against an indexed name whose part similarities are already known: <paramref name="known"/>
    /// holds, for each of the candidate's first <see cref="MaxLongerParts"/> parts, <see cref="QueryParts"/> values, the
    /// similarity to each of the query's first parts, taken in the order the score takes them (<see cref="IsShorter"/>:
    /// <see cref="TokenSimilarity.Of"/> is not quite symmetric). The same
    /// arithmetic as <see cref="Score(ReadOnlySpan{NameToken}, ReadOnlySpan{NameToken})"/>, so the same score to the
    /// last bit.
    /// </summary>
    internal static double ScoreKnown(ReadOnlySpan<NameToken> query, ReadOnlySpan<NameToken> candidate, ReadOnlySpan<double> known, bool queryShorter)
    {
        var pair = new KnownPair(query, candidate, known, queryShorter);
        if (pair.IsEmpty)
        {
            return 0;
        }

        var (n, m) = (pair.N, pair.M);
        Span<double> sims = stackalloc double[n * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                sims[(i * m) + j] = pair.Similarity(i, j);
            }
        }

        Span<int> best = stackalloc int[n];
        return Evaluate(pair.Shorter, pair.Longer, n, m, sims, best);
    }

    /// <summary>
    /// A bound the score of <see cref="ScoreKnown"/> (same arguments) cannot exceed, without the assignment search: each
    /// part takes the best credit any counterpart gives it (the score grows with every credit, and a one-to-one
    /// assignment can only give less), and the identity evidence of each of the shorter name's parts is its best over
    /// all counterparts. The index skips scoring a candidate whose bound is below the scores it already keeps.
    /// </summary>
    internal static double UpperBoundKnown(ReadOnlySpan<NameToken> query, ReadOnlySpan<NameToken> candidate, ReadOnlySpan<double> known, bool queryShorter)
    {
        var pair = new KnownPair(query, candidate, known, queryShorter);
        if (pair.IsEmpty)
        {
            return 0;
        }

        var shorter = pair.Shorter;
        var longer = pair.Longer;
        var (n, m) = (pair.N, pair.M);
        Span<double> longerCredit = stackalloc double[m];
        longerCredit.Clear();
        double shortExplained = 0, shortTotal = 0, evidence = 0;
        for (var i = 0; i < n; i++)
        {
            var x = shorter[i];
            double rowCredit = 0, rowEvidence = 0;
            for (var j = 0; j < m; j++)
            {
                var credit = Credit(pair.Similarity(i, j));
                rowCredit = Math.Max(rowCredit, credit);
                longerCredit[j] = Math.Max(longerCredit[j], credit);
                var y = longer[j];
                if (!x.IsInitial && !y.IsInitial)
                {
                    rowEvidence = Math.Max(rowEvidence, credit * (x.Weight + y.Weight) / 2);
                }
            }

            shortExplained += x.Weight * rowCredit;
            shortTotal += Missing(x, rowCredit);
            evidence += rowEvidence;
        }

        var score = Combine(longer, m, longerCredit, shortExplained, shortTotal, evidence);
        return double.IsFinite(score) ? Math.Min(1, Math.Pow(Math.Max(score, 0), ScalePower)) : 1;
    }

    /// <summary>
    /// The raw score (before scaling) from the shorter side's explained weight and total, the credit each of the longer
    /// side's first <paramref name="m"/> parts got, and the identity evidence: the better-covered side's coverage,
    /// raised by the other's as far as the evidence allows.
    /// </summary>
    private static double Combine(ReadOnlySpan<NameToken> longer, int m, ReadOnlySpan<double> longerCredit, double shortExplained, double shortTotal, double evidence)
    {
        double longExplained = 0, longTotal = 0;
        for (var j = 0; j < m; j++)
        {
            longExplained += longer[j].Weight * longerCredit[j];
            longTotal += Missing(longer[j], longerCredit[j]);
        }

        var shortCoverage = shortTotal > 0 ? shortExplained / shortTotal : 0;
        var longCoverage = longTotal > 0 ? longExplained / longTotal : 0;
        var (high, low) = shortCoverage >= longCoverage ? (shortCoverage, longCoverage) : (longCoverage, shortCoverage);
        var confidence = Math.Pow(evidence / (evidence + EvidencePrior), EvidencePower);
        return high * (low + ((1 - low) * confidence));
    }

    /// <summary>
    /// A query and an indexed name in the order the score takes them (shorter, longer), how many parts of each it looks
    /// at, and their known part similarities (laid out by query part, see <see cref="ScoreKnown"/>).
    /// </summary>
    private readonly ref struct KnownPair
    {
        private readonly ReadOnlySpan<double> _known;
        private readonly bool _queryShorter;

        public KnownPair(ReadOnlySpan<NameToken> query, ReadOnlySpan<NameToken> candidate, ReadOnlySpan<double> known, bool queryShorter)
        {
            _known = known;
            _queryShorter = queryShorter;
            IsEmpty = query.Length == 0 || candidate.Length == 0;
            Shorter = queryShorter ? query : candidate;
            Longer = queryShorter ? candidate : query;
            N = Math.Min(Shorter.Length, MaxShorterParts);
            M = Math.Min(Longer.Length, MaxLongerParts);
        }

        public bool IsEmpty { get; }

        public ReadOnlySpan<NameToken> Shorter { get; }

        public ReadOnlySpan<NameToken> Longer { get; }

        public int N { get; }

        public int M { get; }

        /// <summary>The similarity of the shorter name's part <paramref name="i"/> to the longer's part <paramref name="j"/>.</summary>
        public double Similarity(int i, int j) => _queryShorter ? _known[(j * QueryParts) + i] : _known[(i * QueryParts) + j];
    }

    /// <summary>The similarity of each of the shorter name's first <paramref name="n"/> parts to each of the longer's first <paramref name="m"/>, row by row.</summary>
    private static void Similarities(ReadOnlySpan<NameToken> shorter, ReadOnlySpan<NameToken> longer, int n, int m, Span<double> sims)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                sims[(i * m) + j] = TokenSimilarity.Of(shorter[i], longer[j]);
            }
        }
    }

    /// <summary>How many parts of the shorter name, and of the longer, the score looks at.</summary>
    internal const int MaxShorterParts = 6;

    internal const int MaxLongerParts = 8;

    /// <summary>How many of a query's parts can take part in a score (it may be the longer name).</summary>
    internal const int QueryParts = MaxLongerParts;

    private static ReadOnlySpan<NameToken> AsSpan(IReadOnlyList<NameToken> tokens) => tokens switch
    {
        NameToken[] array => array,
        List<NameToken> list => CollectionsMarshal.AsSpan(list),
        _ => tokens.ToArray(),
    };

    /// <summary>Whether <paramref name="a"/> is taken as the shorter name: the same orientation whichever name comes first, so the score is symmetric even where long names are cut.</summary>
    internal static bool IsShorter(ReadOnlySpan<NameToken> a, ReadOnlySpan<NameToken> b) =>
        a.Length < b.Length || (a.Length == b.Length && Precedes(a, b));

    /// <summary>
    /// The score weighs evidence: each side's weighted share of parts the other side explains (its coverage), and
    /// how much identity the matched parts carry (their frequency weights). The better-covered side must be covered
    /// almost entirely (a part it has and the other lacks is another person's name), the other side may have parts
    /// an alias leaves out, at a cost that shrinks as the matched parts grow rare: "Adam" within "Adam Khan Achekzai"
    /// scores well, "Mohammed" within "Mohammed Zahid" does not.
    /// </summary>
    private static double Evaluate(ReadOnlySpan<NameToken> shorter, ReadOnlySpan<NameToken> longer, int n, int m, ReadOnlySpan<double> sims, Span<int> best)
    {
        // Best one-to-one assignment of the shorter name's parts (names have few parts: exhaustive search is cheap).
        Span<int> current = stackalloc int[n];
        var bestValue = -1.0;
        Assign(sims, n, m, 0, 0, current, best, ref bestValue, 0.0);

        Span<double> longerCredit = stackalloc double[m];
        longerCredit.Clear();
        double shortExplained = 0, shortTotal = 0, evidence = 0;
        for (var i = 0; i < n; i++)
        {
            var credit = Credit(sims[(i * m) + best[i]]);
            var x = shorter[i];
            var y = longer[best[i]];
            longerCredit[best[i]] = credit;
            shortExplained += x.Weight * credit;
            shortTotal += Missing(x, credit);
            evidence += x.IsInitial || y.IsInitial ? 0 : credit * (x.Weight + y.Weight) / 2; // an initial identifies nobody
        }

        var score = Combine(longer, m, longerCredit, shortExplained, shortTotal, evidence);
        return Math.Clamp(double.IsFinite(score) ? Math.Pow(Math.Max(score, 0), ScalePower) : 0, 0, 1);
    }

    private static MatchExplanation Compare(IReadOnlyList<NameToken> a, IReadOnlyList<NameToken> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return new MatchExplanation(0, [], [], "one of the names has no readable part");
        }

        var (n, m) = Ordered(AsSpan(a), AsSpan(b), out var shorter, out var longer);
        Span<double> sims = stackalloc double[n * m];
        Similarities(shorter, longer, n, m, sims);
        Span<int> best = stackalloc int[n];
        var score = Evaluate(shorter, longer, n, m, sims, best);
        var parts = new List<PartMatch>(n);
        var used = new HashSet<int>();
        for (var i = 0; i < n; i++)
        {
            used.Add(best[i]);
            var x = shorter[i];
            var y = longer[best[i]];
            parts.Add(new PartMatch(x.Original, y.Original, sims[(i * m) + best[i]], TokenSimilarity.Describe(x, y)));
        }

        var unmatched = new List<string>();
        for (var j = 0; j < longer.Length; j++)
        {
            if (!used.Contains(j))
            {
                unmatched.Add(longer[j].Original);
            }
        }

        var summary = $"{parts.Count(p => p.Similarity >= 0.8)} of {parts.Count} parts match" + (unmatched.Count > 0 ? $"; extra parts: {string.Join(", ", unmatched)}" : string.Empty);
        return new MatchExplanation(score, parts, unmatched, summary);
    }

    /// <summary>
    /// The two names as the score takes them: the shorter first (<see cref="IsShorter"/>); returns how many parts of
    /// each it reads (<see cref="MaxShorterParts"/>, <see cref="MaxLongerParts"/> at most).
    /// </summary>
    private static (int N, int M) Ordered(ReadOnlySpan<NameToken> a, ReadOnlySpan<NameToken> b, out ReadOnlySpan<NameToken> shorter, out ReadOnlySpan<NameToken> longer)
    {
        var aShorter = IsShorter(a, b);
        shorter = aShorter ? a : b;
        longer = aShorter ? b : a;
        return (Math.Min(shorter.Length, MaxShorterParts), Math.Min(longer.Length, MaxLongerParts));
    }

    private static bool Precedes(ReadOnlySpan<NameToken> a, ReadOnlySpan<NameToken> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var order = string.CompareOrdinal(a[i].Original, b[i].Original);
            if (order != 0)
            {
                return order < 0;
            }
        }

        return true;
    }

    /// <summary>How much of a part a similarity explains: nothing below a spelling that could be another name, all of it for a sure match.</summary>
    private static double Credit(double similarity) => Math.Clamp((similarity - CreditFloor) / (CreditFull - CreditFloor), 0, 1);

    /// <summary>
    /// A part's share of its side's total: its frequency weight for what is explained; a part left unexplained counts
    /// in full whatever its frequency (another given name is a contradiction, common or not), except a kunya.
    /// </summary>
    private static double Missing(NameToken part, double credit) =>
        (part.Weight * credit) + ((1 - credit) * (part.Kind == NamePartKind.Kunya ? MissingKunyaFactor : part.Kind == NamePartKind.Tribe ? MissingTribeFactor : 1));

    private static void Assign(ReadOnlySpan<double> sims, int n, int m, int row, int usedMask, Span<int> current, Span<int> best, ref double bestValue, double value)
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

