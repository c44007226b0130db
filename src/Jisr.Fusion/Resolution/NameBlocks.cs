using Jisr.Matching.Names;

namespace Jisr.Fusion.Resolution;

/// <summary>
/// Blocking for resolution at scale: each name is filed under keys made of pairs of its parts' coarse consonant
/// skeletons (from <see cref="NameParser"/>, so "Youssef Benali", "BENALI Youcef" and "يوسف بنعلي" meet), combined with
/// the year of birth when the record gives one. A probe born in 1985 then meets namesakes born 1984 to 1986 or of
/// unknown birth, not the thousands of others; a probe of unknown birth meets every namesake, up to a cap. Postings
/// are one sorted array (a lookup is a binary search), so a million persons take tens of megabytes.
/// </summary>
internal sealed class NameBlocks
{
    private const ulong UnknownYear = 1;
    private const ulong AnyYear = 2;

    private readonly ulong[] _keys;
    private readonly int[] _offsets;
    private readonly int[] _postings;

    private NameBlocks(ulong[] keys, int[] offsets, int[] postings)
    {
        _keys = keys;
        _offsets = offsets;
        _postings = postings;
    }

    public static NameBlocks Build(IReadOnlyList<IReadOnlyList<NameToken>[]> names, IReadOnlyList<PartialDate?> dates)
    {
        var pairs = new List<(ulong Key, int Entry)>();
        var keys = new List<ulong>(16);
        for (var i = 0; i < names.Count; i++)
        {
            keys.Clear();
            foreach (var name in names[i])
            {
                PairKeys(name, keys);
            }

            var year = dates[i] is { } d ? (ulong)d.Year : UnknownYear;
            foreach (var key in keys.Distinct())
            {
                pairs.Add((Mix(key, year), i));
                pairs.Add((Mix(key, AnyYear), i));
            }
        }

        var sorted = pairs.ToArray();
        Array.Sort(sorted, (x, y) => x.Key != y.Key ? x.Key.CompareTo(y.Key) : x.Entry.CompareTo(y.Entry));
        var distinct = new List<ulong>();
        var offsets = new List<int>();
        var postings = new int[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i].Key != sorted[i - 1].Key)
            {
                distinct.Add(sorted[i].Key);
                offsets.Add(i);
            }

            postings[i] = sorted[i].Entry;
        }

        offsets.Add(sorted.Length);
        return new NameBlocks([.. distinct], [.. offsets], postings);
    }

    /// <summary>
    /// The entries that may be the probe's person, by name and year of birth; <paramref name="namesakes"/> is how many
    /// entries share the probe's most selective name key whatever their year (how common the name is).
    /// </summary>
    public void Candidates(IReadOnlyList<NameToken>[] names, PartialDate? date, int maxBlock, List<int> into, out int namesakes)
    {
        var keys = new List<ulong>(16);
        foreach (var name in names)
        {
            PairKeys(name, keys);
        }

        namesakes = int.MaxValue;
        foreach (var key in keys.Distinct())
        {
            var any = Range(Mix(key, AnyYear));
            namesakes = Math.Min(namesakes, any.End - any.Start);
            if (date is null)
            {
                // Unknown birth: every namesake, unless the name is so common that the name alone decides nothing.
                if (any.End - any.Start <= maxBlock)
                {
                    Add(any, into);
                }

                continue;
            }

            foreach (var year in new[] { (ulong)date.Year, (ulong)date.Year - 1, (ulong)date.Year + 1, UnknownYear })
            {
                var block = Range(Mix(key, year));
                if (block.End - block.Start <= maxBlock)
                {
                    Add(block, into);
                }
            }
        }

        if (namesakes == int.MaxValue)
        {
            namesakes = 0;
        }
    }

    private void Add((int Start, int End) range, List<int> into)
    {
        for (var p = range.Start; p < range.End; p++)
        {
            into.Add(_postings[p]);
        }
    }

    private (int Start, int End) Range(ulong key)
    {
        var at = Array.BinarySearch(_keys, key);
        return at < 0 ? (0, 0) : (_offsets[at], _offsets[at + 1]);
    }

    /// <summary>Order-free keys for every pair of parts (and one for a one-part name), each part under its skeleton and its bare form.</summary>
    private static void PairKeys(IReadOnlyList<NameToken> tokens, List<ulong> keys)
    {
        var variants = new List<(int Part, ulong Coarse)>(12);
        var count = Math.Min(tokens.Count, 5);
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
            keys.AddRange(variants.Select(v => Mix(v.Coarse, 0x9E3779B97F4A7C15UL)));
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

    /// <summary>ث is read t or s (Othmane, Osman): such a part is filed under both.</summary>
    private static void AddCoarse(List<(int Part, ulong Coarse)> variants, int part, string skeleton)
    {
        variants.Add((part, Coarse(skeleton.Replace('T', 't'))));
        if (skeleton.Contains('T', StringComparison.Ordinal))
        {
            variants.Add((part, Coarse(skeleton.Replace('T', 's'))));
        }
    }

    /// <summary>The first three consonants, with the sounds transliterations confuse merged into one class.</summary>
    private static ulong Coarse(string skeleton)
    {
        ulong value = 1;
        var taken = 0;
        var previous = '\0';
        foreach (var c in skeleton)
        {
            var cls = c switch
            {
                'S' or 'z' => 's',
                'd' => 't',
                'x' or 'g' or 'j' or 'q' => 'k',
                'h' => '\0',
                'b' => 'f',
                _ => c,
            };
            if (cls == '\0' || cls == previous)
            {
                continue;
            }

            value = unchecked((value * 131) + cls);
            previous = cls;
            if (++taken == 3)
            {
                break;
            }
        }

        return value;
    }

    private static ulong Mix(ulong a, ulong b) => unchecked(Finish((a * 0xBF58476D1CE4E5B9UL) ^ (b + 0x94D049BB133111EBUL + (a << 6) + (a >> 2))));

    private static ulong Finish(ulong h) => unchecked((h ^ (h >> 31)) * 0x9E3779B97F4A7C15UL);
}
