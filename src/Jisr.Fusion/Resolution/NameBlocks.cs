using System.Numerics;
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

    /// <summary>
    /// Where each bucket of keys starts in <see cref="_keys"/> (a bucket: the keys' top <see cref="_bucketShift"/>
    /// complement of bits; the keys are hashes, so four to eight to a bucket). A lookup searches its bucket alone: a
    /// binary search of ten million keys read twenty places far apart, a cache miss each, for every block a probe reads.
    /// </summary>
    private readonly int[] _buckets;
    private readonly int _bucketShift;

    private NameBlocks(ulong[] keys, int[] offsets, int[] postings)
    {
        _keys = keys;
        _offsets = offsets;
        _postings = postings;
        var bits = Math.Clamp(64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, keys.Length / 8)), 1, 24);
        _bucketShift = 64 - bits;
        _buckets = new int[(1 << bits) + 1];
        var at = 0;
        for (var bucket = 0; bucket < _buckets.Length; bucket++)
        {
            while (at < keys.Length && (int)(keys[at] >> _bucketShift) < bucket)
            {
                at++;
            }

            _buckets[bucket] = at;
        }
    }

    public static NameBlocks Build(IReadOnlyList<IReadOnlyList<NameToken>[]> names, IReadOnlyList<PartialDate?> dates)
    {
        // Each record's keys on all cores, then one sort of (key, entry) as two flat arrays: a sort with a comparison
        // delegate over tuples took most of the build for a million persons.
        var perRecord = new ulong[names.Count][];
        Parallel.For(0, names.Count, i =>
        {
            var keys = KeysOf(names[i]);
            var year = dates[i] is { } d ? (ulong)d.Year : UnknownYear;
            var mixed = new ulong[keys.Count * 2];
            for (var k = 0; k < keys.Count; k++)
            {
                mixed[2 * k] = Mix(keys[k], year);
                mixed[(2 * k) + 1] = Mix(keys[k], AnyYear);
            }

            perRecord[i] = mixed;
        });

        var total = perRecord.Sum(k => (long)k.Length);
        var sortedKeys = new ulong[total];
        var postings = new int[total];
        var at = 0;
        for (var i = 0; i < perRecord.Length; i++)
        {
            foreach (var key in perRecord[i])
            {
                sortedKeys[at] = key;
                postings[at++] = i;
            }
        }

        Array.Sort(sortedKeys, postings);
        var distinct = new List<ulong>();
        var offsets = new List<int>();
        for (var i = 0; i < sortedKeys.Length; i++)
        {
            if (i == 0 || sortedKeys[i] != sortedKeys[i - 1])
            {
                // The sort is not stable: each block's entries back in record order, so candidates come in one order.
                if (offsets.Count > 0)
                {
                    Array.Sort(postings, offsets[^1], i - offsets[^1]);
                }

                distinct.Add(sortedKeys[i]);
                offsets.Add(i);
            }
        }

        if (offsets.Count > 0)
        {
            Array.Sort(postings, offsets[^1], sortedKeys.Length - offsets[^1]);
        }

        offsets.Add(sortedKeys.Length);
        return new NameBlocks([.. distinct], [.. offsets], postings);
    }

    /// <summary>The blocks a record is filed in as a target (exactly those <see cref="Build"/> files it under).</summary>
    public static ulong[] FiledKeys(IReadOnlyList<NameToken>[] names, PartialDate? date)
    {
        var year = date is { } d ? (ulong)d.Year : UnknownYear;
        return [.. KeysOf(names).SelectMany(k => new[] { Mix(k, year), Mix(k, AnyYear) })];
    }

    /// <summary>The blocks <see cref="Candidates"/> reads for a probe (how common its name is aside: see <see cref="Namesakes"/>).</summary>
    public static ulong[] ReadKeys(IReadOnlyList<NameToken>[] names, PartialDate? date) => date is null
        ? [.. KeysOf(names).Select(k => Mix(k, AnyYear))]
        : [.. KeysOf(names).SelectMany(k => new[] { Mix(k, (ulong)date.Year), Mix(k, (ulong)date.Year - 1), Mix(k, (ulong)date.Year + 1), Mix(k, UnknownYear) })];

    /// <summary>The <c>namesakes</c> <see cref="Candidates"/> gives for these names.</summary>
    public int Namesakes(IReadOnlyList<NameToken>[] names)
    {
        var namesakes = int.MaxValue;
        foreach (var key in KeysOf(names))
        {
            var any = Range(Mix(key, AnyYear));
            namesakes = Math.Min(namesakes, any.End - any.Start);
        }

        return namesakes == int.MaxValue ? 0 : namesakes;
    }

    [ThreadStatic]
    private static List<ulong>? _scratchKeys;

    /// <summary>The distinct pair keys of a record's names, in a list reused by the calling thread (read it before the next call).</summary>
    private static List<ulong> KeysOf(IReadOnlyList<NameToken>[] names)
    {
        var keys = _scratchKeys ??= new List<ulong>(32);
        keys.Clear();
        foreach (var name in names)
        {
            PairKeys(name, keys);
        }

        if (keys.Count > 1)
        {
            keys.Sort();
            var kept = 1;
            for (var i = 1; i < keys.Count; i++)
            {
                if (keys[i] != keys[kept - 1])
                {
                    keys[kept++] = keys[i];
                }
            }

            keys.RemoveRange(kept, keys.Count - kept);
        }

        return keys;
    }

    /// <summary>
    /// The entries that may be the probe's person, by name and year of birth; <paramref name="namesakes"/> is how many
    /// entries share the probe's most selective name key whatever their year (how common the name is).
    /// </summary>
    public void Candidates(IReadOnlyList<NameToken>[] names, PartialDate? date, int maxBlock, List<int> into, out int namesakes)
    {
        var keys = KeysOf(names);
        namesakes = int.MaxValue;
        foreach (var key in keys)
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

            for (var y = 0; y < 4; y++)
            {
                var year = y switch { 0 => (ulong)date.Year, 1 => (ulong)date.Year - 1, 2 => (ulong)date.Year + 1, _ => UnknownYear };
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
        var bucket = (int)(key >> _bucketShift);
        var start = _buckets[bucket];
        var at = Array.BinarySearch(_keys, start, _buckets[bucket + 1] - start, key);
        return at < 0 ? (0, 0) : (_offsets[at], _offsets[at + 1]);
    }

    /// <summary>Order-free keys for every pair of parts (and one for a one-part name): the name index's keys (<see cref="BlockingKeys"/>).</summary>
    private static void PairKeys(IReadOnlyList<NameToken> tokens, List<ulong> keys) => BlockingKeys.Of(tokens, keys);

    private static ulong Mix(ulong a, ulong b) => BlockingKeys.Mix(a, b);
}
