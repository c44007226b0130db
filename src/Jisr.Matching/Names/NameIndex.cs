using System.Collections.Concurrent;


namespace Jisr.Matching.Names;

/// <summary>A candidate returned by <see cref="NameIndex{TId}.Query"/>: the id given at build time, the indexed name and its score.</summary>
public sealed record NameCandidate<TId>(TId Id, string Name, double Score);

/// <summary>
/// Candidate index over many names. Each name is filed under blocking keys made of pairs of its parts' coarse
/// skeletons (order-free, so "FAMILY Given" meets "Given Family"); a query scores only the names that share a key
/// with it, then returns the best <c>k</c>. Built once, then safe for concurrent queries.
/// </summary>
/// <remarks>
/// Name parts repeat across a million names (a few thousand distinct parts), so each distinct part is stored once and
/// names are runs of part numbers. A query computes the similarity of its parts to each distinct part it meets once,
/// and scores every candidate from those (<see cref="NameMatcher.ScoreKnown"/>: the same score to the last bit as
/// scoring the two names directly); its working arrays are reused from query to query, so a query allocates little.
/// </remarks>
public sealed class NameIndex<TId>
{
    /// <summary>Beyond this many candidates a query stops collecting, most selective keys first.</summary>
    public const int MaxCandidates = 4000;

    private readonly TId[] _ids;
    private readonly string[] _names;

    /// <summary>Every distinct part once; a name is the run <c>_parts[_starts[e].._starts[e + 1]]</c> of part numbers.</summary>
    private readonly NameToken[] _table;
    private readonly int[] _starts;
    private readonly int[] _parts;
    private readonly ulong[] _keys;
    private readonly int[] _offsets;
    private readonly int[] _postings;
    private readonly ConcurrentBag<QueryScratch> _scratch = [];

    private NameIndex(TId[] ids, string[] names, NameToken[] table, int[] starts, int[] parts, ulong[] keys, int[] offsets, int[] postings)
    {
        _ids = ids;
        _names = names;
        _table = table;
        _starts = starts;
        _parts = parts;
        _keys = keys;
        _offsets = offsets;
        _postings = postings;
    }

    public int Count => _ids.Length;

    /// <summary>Builds the index. Names with no readable part are kept out (they could never be found).</summary>
    public static NameIndex<TId> Build(IEnumerable<(TId Id, string Name)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var ids = new List<TId>();
        var names = new List<string>();
        var numbers = new Dictionary<NameToken, int>();
        var table = new List<NameToken>();
        var starts = new List<int> { 0 };
        var parts = new List<int>();
        var pairKeys = new List<ulong>();
        var pairEntries = new List<int>();
        var keys = new List<ulong>(16);
        foreach (var (id, name) in entries)
        {
            var parsed = NameParser.Parse(name);
            if (parsed.Count == 0)
            {
                continue;
            }

            var entry = ids.Count;
            ids.Add(id);
            names.Add(name);
            foreach (var token in Compact(parsed))
            {
                if (!numbers.TryGetValue(token, out var number))
                {
                    number = table.Count;
                    numbers.Add(token, number);
                    table.Add(token);
                }

                parts.Add(number);
            }

            starts.Add(parts.Count);
            keys.Clear();
            BlockingKeys.Of(parsed, keys);
            BlockingKeys.OfParts(parsed, keys);
            foreach (var key in keys.Distinct())
            {
                pairKeys.Add(key);
                pairEntries.Add(entry);
            }
        }

        // Postings as one sorted array (compressed sparse rows): compact, and a key lookup is one binary search. Sorted by
        // key as two flat arrays (a comparison delegate over tuples took most of the build for a million names), then each
        // key's names back in the order given, which the candidate cap depends on.
        var sorted = pairKeys.ToArray();
        var postings = pairEntries.ToArray();
        pairKeys.Clear();
        pairEntries.Clear();
        Array.Sort(sorted, postings);
        var distinct = new List<ulong>();
        var offsets = new List<int>();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                if (i > 0)
                {
                    postings.AsSpan(offsets[^1], i - offsets[^1]).Sort();
                }

                distinct.Add(sorted[i]);
                offsets.Add(i);
            }
        }

        if (sorted.Length > 0)
        {
            postings.AsSpan(offsets[^1]).Sort();
        }

        offsets.Add(sorted.Length);
        return new NameIndex<TId>([.. ids], [.. names], [.. table], [.. starts], [.. parts], [.. distinct], [.. offsets], postings);
    }

    /// <summary>
    /// The best <paramref name="k"/> indexed names for <paramref name="name"/>, best first (equal scores in the order
    /// the names were given to <see cref="Build"/>); empty for an unreadable name.
    /// </summary>
    public IReadOnlyList<NameCandidate<TId>> Query(string? name, int k) => Query(NameParser.Parse(name), k);

    /// <summary>The same for a name already parsed (<see cref="NameParser.Parse"/>): a caller asking several indexes parses it once.</summary>
    public IReadOnlyList<NameCandidate<TId>> Query(IReadOnlyList<NameToken> parsed, int k) => Query(parsed, k, prune: true);

    /// <summary>
    /// With <paramref name="prune"/>, a candidate whose score bound (<see cref="NameMatcher.UpperBoundKnown"/>) is below
    /// the <paramref name="k"/>th best score so far is not scored: the answer is the same (tested against the query
    /// without pruning), only cheaper.
    /// </summary>
    internal IReadOnlyList<NameCandidate<TId>> Query(IReadOnlyList<NameToken> parsed, int k, bool prune)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (parsed.Count == 0 || k <= 0)
        {
            return [];
        }

        var scratch = Rent();
        try
        {
            var candidates = Collect(parsed, scratch);
            var query = Compact(parsed);
            var top = new TopScores(Math.Min(k, candidates.Length));
            Span<double> known = stackalloc double[NameMatcher.MaxLongerParts * NameMatcher.QueryParts];
            foreach (var entry in candidates)
            {
                var queryShorter = KnownOf(query, entry, scratch, known, out var candidate);
                if (prune && top.IsFull && NameMatcher.UpperBoundKnown(query, candidate, known, queryShorter) + PruneMargin < top.WorstScore)
                {
                    continue; // cannot enter the top k: its score is at most the bound
                }

                top.Offer(NameMatcher.ScoreKnown(query, candidate, known, queryShorter), entry);
            }

            var ranked = top.Ranked();
            var results = new List<NameCandidate<TId>>(ranked.Length);
            foreach (var (score, entry) in ranked)
            {
                results.Add(new NameCandidate<TId>(_ids[entry], _names[entry], score));
            }

            return results;
        }
        finally
        {
            _scratch.Add(scratch);
        }
    }

    /// <summary>
    /// The names the blocking keys of <paramref name="parsed"/> reach, most selective keys first, at most
    /// <see cref="MaxCandidates"/>, each once.
    /// </summary>
    private ReadOnlySpan<int> Collect(IReadOnlyList<NameToken> parsed, QueryScratch scratch)
    {
        var keys = new List<ulong>(16);
        BlockingKeys.Of(parsed, keys);
        var ranges = new List<(int Start, int End)>(keys.Count);
        foreach (var key in keys.Distinct())
        {
            var at = Array.BinarySearch(_keys, key);
            if (at >= 0)
            {
                ranges.Add((_offsets[at], _offsets[at + 1]));
            }
        }

        // Most selective keys first, so the cap cuts the least informative candidates.
        ranges.Sort((x, y) => (x.End - x.Start).CompareTo(y.End - y.Start));
        var mark = scratch.NextMark();
        var found = 0;
        foreach (var (start, end) in ranges)
        {
            for (var p = start; p < end && found < MaxCandidates; p++)
            {
                var entry = _postings[p];
                if (scratch.Marks[entry] != mark)
                {
                    scratch.Marks[entry] = mark;
                    scratch.Candidates[found++] = entry;
                }
            }
        }

        return scratch.Candidates.AsSpan(0, found);
    }

    /// <summary>
    /// How far below the kept scores a bound must be for a candidate to be skipped: the bound is computed with other
    /// sums than the score, so rounding could put it a few units in the last place under a score it bounds.
    /// </summary>
    private const double PruneMargin = 1e-9;

    /// <summary>
    /// Fills <paramref name="known"/> with the similarities of the query's parts to each part of one indexed name
    /// (computed once per query, part and order) and gives the name's parts; returns whether the query is the shorter name.
    /// </summary>
    private bool KnownOf(NameToken[] query, int entry, QueryScratch scratch, Span<double> known, out ReadOnlySpan<NameToken> name)
    {
        var start = _starts[entry];
        var length = _starts[entry + 1] - start;
        var tokens = scratch.Tokens(length);
        for (var j = 0; j < length; j++)
        {
            tokens[j] = _table[_parts[start + j]];
        }

        var candidate = tokens.AsSpan(0, length);
        var queryShorter = NameMatcher.IsShorter(query, candidate);
        var (marks, similarities) = queryShorter ? (scratch.KnownAfter, scratch.After) : (scratch.KnownBefore, scratch.Before);
        var queryParts = Math.Min(query.Length, NameMatcher.QueryParts);
        for (var j = 0; j < Math.Min(length, NameMatcher.MaxLongerParts); j++)
        {
            var number = _parts[start + j];
            var row = number * NameMatcher.QueryParts;
            if (marks[number] != scratch.Mark)
            {
                for (var i = 0; i < queryParts; i++)
                {
                    similarities[row + i] = queryShorter ? TokenSimilarity.Of(query[i], candidate[j]) : TokenSimilarity.Of(candidate[j], query[i]);
                }

                marks[number] = scratch.Mark;
            }

            similarities.AsSpan(row, NameMatcher.QueryParts).CopyTo(known.Slice(j * NameMatcher.QueryParts, NameMatcher.QueryParts));
        }

        name = candidate;
        return queryShorter;
    }

    private QueryScratch Rent() => _scratch.TryTake(out var scratch) ? scratch : new QueryScratch(_ids.Length, _table.Length);

    /// <summary>
    /// One query's working arrays, reused: marks of the names already collected and of the parts whose similarities
    /// are known (a number per query, so nothing is cleared between queries), the candidates, the similarities with
    /// the query's part first (<see cref="After"/>: the query is the shorter name) and second (<see cref="Before"/>).
    /// </summary>
    private sealed class QueryScratch(int names, int parts)
    {
        public readonly int[] Marks = new int[names];
        public readonly int[] KnownAfter = new int[parts];
        public readonly int[] KnownBefore = new int[parts];
        public readonly double[] After = new double[parts * NameMatcher.QueryParts];
        public readonly double[] Before = new double[parts * NameMatcher.QueryParts];
        public readonly int[] Candidates = new int[Math.Min(names, MaxCandidates)];
        private NameToken[] _tokens = new NameToken[16];

        public int Mark { get; private set; }

        public int NextMark()
        {
            if (Mark == int.MaxValue)
            {
                Array.Clear(Marks);
                Array.Clear(KnownAfter);
                Array.Clear(KnownBefore);
                Mark = 0;
            }

            return ++Mark;
        }

        public NameToken[] Tokens(int length)
        {
            if (_tokens.Length < length)
            {
                _tokens = new NameToken[Math.Max(length, _tokens.Length * 2)];
            }

            return _tokens;
        }
    }

    /// <summary>
    /// For a partial query (<see cref="NameMatcher.IsPartial(string?)"/>: one name part, perhaps with initials, such
    /// as a family name alone or a given name and a family initial): the indexed names that carry that part in any
    /// script, best first: the closer the part (exact before variant) and the rarer, the higher, then by score.
    /// Scores are <see cref="NameMatcher.Score(string?, string?)"/>; callers must not call them a match.
    /// </summary>
    public IReadOnlyList<NameCandidate<TId>> QueryPartial(string? name, int k) => QueryPartial(NameParser.Parse(name), k);

    /// <summary>The same for a name already parsed (<see cref="NameParser.Parse"/>).</summary>
    public IReadOnlyList<NameCandidate<TId>> QueryPartial(IReadOnlyList<NameToken> parsed, int k)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var parts = parsed.Where(t => !t.IsInitial).ToList();
        if (parts.Count == 0 || k <= 0)
        {
            return [];
        }

        var keys = new List<ulong>(8);
        BlockingKeys.OfParts(parts, keys);
        var seen = new HashSet<int>();
        foreach (var key in keys.Distinct())
        {
            var at = Array.BinarySearch(_keys, key);
            for (var p = at >= 0 ? _offsets[at] : 0; at >= 0 && p < _offsets[at + 1] && seen.Count < MaxCandidates; p++)
            {
                seen.Add(_postings[p]);
            }
        }

        var query = Compact(parsed);
        var ranked = new List<(int Entry, double Carried, double Score)>();
        foreach (var entry in seen)
        {
            var tokens = TokensOf(entry);
            var carried = NameMatcher.Carried(query, tokens);
            if (carried > 0)
            {
                ranked.Add((entry, carried, NameMatcher.Score(query, tokens)));
            }
        }

        return [.. ranked.OrderByDescending(r => r.Carried).ThenByDescending(r => r.Score).Take(k)
            .Select(r => new NameCandidate<TId>(_ids[r.Entry], _names[r.Entry], r.Score))];
    }

    /// <summary>Whether the entry <paramref name="id"/> is among the candidates <paramref name="name"/> reaches through the blocking keys (before the cap).</summary>
    public bool Contains(string? name, TId id)
    {
        var parsed = NameParser.Parse(name);
        var keys = new List<ulong>(16);
        BlockingKeys.Of(parsed, keys);
        foreach (var key in keys.Distinct())
        {
            var at = Array.BinarySearch(_keys, key);
            if (at < 0)
            {
                continue;
            }

            for (var p = _offsets[at]; p < _offsets[at + 1]; p++)
            {
                if (EqualityComparer<TId>.Default.Equals(_ids[_postings[p]], id))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private NameToken[] TokensOf(int entry)
    {
        var tokens = new NameToken[_starts[entry + 1] - _starts[entry]];
        for (var j = 0; j < tokens.Length; j++)
        {
            tokens[j] = _table[_parts[_starts[entry] + j]];
        }

        return tokens;
    }

    /// <summary>Drops what scoring does not need, so a million names stay within memory.</summary>
    private static NameToken[] Compact(IReadOnlyList<NameToken> tokens)
    {
        var compact = new NameToken[tokens.Count];
        for (var i = 0; i < compact.Length; i++)
        {
            var t = tokens[i];
            compact[i] = t.IsArabic || t.IsInitial ? t with { Original = t.Spelling } : t;
        }

        return compact;
    }
}

/// <summary>
/// The best scores offered, kept in a min-heap of at most <c>k</c>: the worst kept is the first replaced. Equal
/// scores keep the earlier name (lower number), so the answer does not depend on the order candidates are scored in.
/// </summary>
internal struct TopScores(int k)
{
    private readonly (double Score, int Entry)[] _heap = new (double, int)[k];
    private int _count;

    /// <summary>Whether k scores are kept, so a score must beat <see cref="WorstScore"/> to enter.</summary>
    public readonly bool IsFull => _count == _heap.Length && _count > 0;

    /// <summary>The lowest score kept.</summary>
    public readonly double WorstScore => _heap[0].Score;

    public void Offer(double score, int entry)
    {
        if (_heap.Length == 0)
        {
            return;
        }

        if (_count < _heap.Length)
        {
            _heap[_count] = (score, entry);
            Up(_count++);
        }
        else if (Worse(_heap[0], (score, entry)))
        {
            _heap[0] = (score, entry);
            Down(0);
        }
    }

    /// <summary>Best first.</summary>
    public readonly (double Score, int Entry)[] Ranked()
    {
        var ranked = _heap.AsSpan(0, _count).ToArray();
        Array.Sort(ranked, (x, y) => Worse(x, y) ? 1 : Worse(y, x) ? -1 : 0);
        return ranked;
    }

    private static bool Worse((double Score, int Entry) x, (double Score, int Entry) y) => x.Score < y.Score || (x.Score == y.Score && x.Entry > y.Entry);

    private readonly void Up(int at)
    {
        while (at > 0)
        {
            var parent = (at - 1) / 2;
            if (!Worse(_heap[at], _heap[parent]))
            {
                return;
            }

            (_heap[at], _heap[parent]) = (_heap[parent], _heap[at]);
            at = parent;
        }
    }

    private readonly void Down(int at)
    {
        while (true)
        {
            var worst = at;
            var left = (2 * at) + 1;
            if (left < _count && Worse(_heap[left], _heap[worst]))
            {
                worst = left;
            }

            if (left + 1 < _count && Worse(_heap[left + 1], _heap[worst]))
            {
                worst = left + 1;
            }

            if (worst == at)
            {
                return;
            }

            (_heap[at], _heap[worst]) = (_heap[worst], _heap[at]);
            at = worst;
        }
    }
}

/// <summary>
/// Blocking keys: for every pair of name parts, their coarse skeletons in sorted order; a one-part name gets a key of
/// its own. The name index and entity resolution's blocks (<c>Jisr.Fusion</c>) file names under the same keys.
/// </summary>
public static class BlockingKeys
{
    internal const int MaxParts = 5;

    [ThreadStatic]
    private static List<(int Part, ulong Coarse)>? t_variants;

    /// <summary>Adds the keys of a parsed name's first parts to <paramref name="keys"/> (a key may repeat).</summary>
    public static void Of(IReadOnlyList<NameToken> tokens, List<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(keys);

        // A part with a patronymic particle (بن يوسف, Ben Youssef) is filed both with and without it.
        var variants = t_variants ??= new List<(int Part, ulong Coarse)>(MaxParts * 2);
        variants.Clear();
        var count = Math.Min(tokens.Count, MaxParts);
        for (var i = 0; i < count; i++)
        {
            AddCoarse(variants, i, tokens[i].Skeleton);
            if (tokens[i].BareSkeleton is { } bare)
            {
                AddCoarse(variants, i, bare);
            }
        }

        if (count == 1)
        {
            foreach (var (_, coarse) in variants)
            {
                keys.Add(Mix(coarse, PartSalt));
            }

            return;
        }

        foreach (var (i, x) in variants)
        {
            foreach (var (j, y) in variants)
            {
                if (j > i)
                {
                    keys.Add(x <= y ? Mix(x, y) : Mix(y, x));
                }
            }
        }
    }

    /// <summary>
    /// A part whose skeleton has ث (T) is filed under its t and its s readings (Othmane, Osman); one with ذ ض ظ (D)
    /// under its d and its z readings (Dhakir, Zakir).
    /// </summary>
    internal static void AddCoarse(List<(int Part, ulong Coarse)> variants, int part, string skeleton, int consonants = 3)
    {
        foreach (var t in skeleton.Contains('T', StringComparison.Ordinal) ? "ts" : "t")
        {
            foreach (var d in skeleton.Contains('D', StringComparison.Ordinal) ? "dz" : "d")
            {
                variants.Add((part, Coarse(skeleton.Replace('T', t).Replace('D', d), consonants)));
            }
        }
    }

    /// <summary>The first <paramref name="consonants"/> consonants of the part (three for the index), with sounds transliterations confuse merged into one class.</summary>
    private static ulong Coarse(string skeleton, int consonants = 3)
    {
        ulong value = 1;
        var taken = 0;
        char previous = '\0';
        foreach (var c in skeleton)
        {
            var cls = c switch
            {
                'S' or 'z' => 's',
                'd' => 't',
                'x' or 'g' or 'j' or 'q' => 'k',
                'h' => '\0', // the most often dropped or added consonant
                'b' => 'f',
                _ => c,
            };
            if (cls == '\0' || cls == previous)
            {
                continue;
            }

            value = unchecked((value * 131) + cls);
            previous = cls;
            if (++taken == consonants)
            {
                break;
            }
        }

        return value;
    }

    /// <summary>One key per part (and its bare and alternative readings): what a partial query looks up.</summary>
    public static void OfParts(IReadOnlyList<NameToken> tokens, List<ulong> keys)
    {
        var variants = new List<(int Part, ulong Coarse)>(4);
        for (var i = 0; i < Math.Min(tokens.Count, MaxParts * 2); i++)
        {
            if (tokens[i].IsInitial)
            {
                continue;
            }

            variants.Clear();
            AddCoarse(variants, i, tokens[i].Skeleton);
            if (tokens[i].BareSkeleton is { } bare)
            {
                AddCoarse(variants, i, bare);
            }

            foreach (var (_, coarse) in variants)
            {
                keys.Add(Mix(coarse, PartSalt));
            }
        }
    }

    internal const ulong PartSalt = 0x9E3779B97F4A7C15UL;

    /// <summary>One key from two (order matters).</summary>
    public static ulong Mix(ulong a, ulong b) => unchecked(Finish((a * 0xBF58476D1CE4E5B9UL) ^ (b + 0x94D049BB133111EBUL + (a << 6) + (a >> 2))));

    private static ulong Finish(ulong h) => unchecked((h ^ (h >> 31)) * 0x9E3779B97F4A7C15UL);
}
