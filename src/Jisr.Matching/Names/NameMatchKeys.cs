namespace Jisr.Matching.Names;

/// <summary>One name-matching key and the two parts of the name that produced it (the same part twice for a part key).</summary>
public readonly record struct NameMatchKey(ulong Key, int PartA, int PartB);

/// <summary>
/// Keys under which a name is filed for hit/no-hit, so that spelling and script variants of one name (Youssef El
/// Idrissi, Yusuf Al-Idrisi, يوسف الإدريسي) share a key: for every pair of name parts, their whole consonant
/// skeletons with the sounds transliterations confuse merged into one class (the classes of
/// <see cref="NameIndex{TId}"/>'s blocking keys, over the whole skeleton rather than its first three consonants, so
/// that a key means "two parts of the name agree" and not "two parts start alike"), in sorted order, so the order of
/// parts does not matter and a missing middle or father's name still leaves a pair. A name of one part (titles and
/// particles aside: "Haji Khairullah") is filed under that part alone. The keys are keyed again (HMAC) before they
/// leave a node.
/// </summary>
public static class NameMatchKeys
{
    /// <summary>All consonants count (the index's blocking keys use the first three).</summary>
    private const int Consonants = int.MaxValue;

    /// <summary>The keys a held name is filed under: its part pairs, or its one part's key; none for an unreadable name.</summary>
    public static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForFiling(string? name)
    {
        var parts = NameParser.Parse(name);
        var keys = new List<NameMatchKey>(8);
        if (NameMatcher.IsPartial(parts))
        {
            AddPartKeys(parts, keys);
        }
        else
        {
            AddPairKeys(parts, keys);
        }

        return (parts, keys);
    }

    /// <summary>
    /// The keys a query looks up: its part pairs, and each part alone (which meets only names filed under one part,
    /// never a longer name that happens to carry the part).
    /// </summary>
    public static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForQuery(string? name)
    {
        var parts = NameParser.Parse(name);
        var keys = new List<NameMatchKey>(12);
        AddPairKeys(parts, keys);
        AddPartKeys(parts, keys);
        return (parts, keys);
    }

    private static void AddPairKeys(IReadOnlyList<NameToken> parts, List<NameMatchKey> keys)
    {
        var variants = new List<(int Part, ulong Coarse)>(BlockingKeys.MaxParts * 2);
        for (var i = 0; i < Math.Min(parts.Count, BlockingKeys.MaxParts); i++)
        {
            AddVariants(variants, i, parts[i]);
        }

        foreach (var (i, x) in variants)
        {
            foreach (var (j, y) in variants)
            {
                if (j > i)
                {
                    Add(keys, new NameMatchKey(x <= y ? BlockingKeys.Mix(x, y) : BlockingKeys.Mix(y, x), i, j));
                }
            }
        }
    }

    private static void AddPartKeys(IReadOnlyList<NameToken> parts, List<NameMatchKey> keys)
    {
        var variants = new List<(int Part, ulong Coarse)>(4);
        for (var i = 0; i < Math.Min(parts.Count, BlockingKeys.MaxParts); i++)
        {
            if (parts[i].IsInitial)
            {
                continue;
            }

            variants.Clear();
            AddVariants(variants, i, parts[i]);
            foreach (var (_, coarse) in variants)
            {
                Add(keys, new NameMatchKey(BlockingKeys.Mix(coarse, BlockingKeys.PartSalt), i, i));
            }
        }
    }

    private static void AddVariants(List<(int Part, ulong Coarse)> variants, int i, NameToken part)
    {
        BlockingKeys.AddCoarse(variants, i, part.Skeleton, Consonants);
        if (part.BareSkeleton is { } bare)
        {
            BlockingKeys.AddCoarse(variants, i, bare, Consonants);
        }
    }

    private static void Add(List<NameMatchKey> keys, NameMatchKey key)
    {
        foreach (var k in keys)
        {
            if (k.Key == key.Key)
            {
                return;
            }
        }

        keys.Add(key);
    }
}
