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
/// <remarks>
/// Aliases share one part with the full name ("Haji Ahmad Jan" / AHMED JAN AKHUNDZADA WAZIR, "Noor Ahmad" / AHMAD ZIA
/// AGHA), and a pair key cannot meet them. A part alone meets them, but also every different person who carries the
/// part, so parts alone are filed under <i>scoped</i> keys, each meant for one shape of the other name:
/// <list type="bullet">
/// <item>a one-part name meets any name carrying its part, both ways (a held one-part name by its part key; a held
/// longer name by its parts under <see cref="InNameSalt"/>, which only a one-part query looks up), except a longer name
/// through one of the few dozen commonest parts (Mohammed, Ali, John: weight below
/// <see cref="NameKeyScope.OnePartWeight"/>), which alone would meet nearly every name;</item>
/// <item>a two-part name meets a name of at least <see cref="NameKeyScope.LongName"/> parts carrying one of its parts that weighs at
/// least <see cref="NameKeyScope.AliasPartWeight"/> (<see cref="NameFrequencies"/>: not one of the few commonest parts, Mohammed,
/// Ali, John), both ways (<see cref="InLongNameSalt"/>, <see cref="InTwoPartNameSalt"/>); never another two- or
/// three-part name, where a shared part is mostly a shared given or family name (measured: <c>bench hitkeys</c>).</item>
/// </list>
/// A pooled filter cannot require "k of the query's keys from one held name" (the keys of different names mix), so
/// each key stands alone and the scope is in the key itself.
/// </remarks>
public static class NameMatchKeys
{
    /// <summary>All consonants count (the index's blocking keys use the first three).</summary>
    private const int Consonants = int.MaxValue;

    /// <summary>A part of a longer held name, for one-part queries.</summary>
    private const ulong InNameSalt = 0xD1B54A32D192ED03UL;

    /// <summary>A part of a held name of <see cref="NameKeyScope.LongName"/> parts or more, for two-part queries.</summary>
    private const ulong InLongNameSalt = 0xAEF17502108EF2D9UL;

    /// <summary>A part of a held two-part name, for queries of <see cref="NameKeyScope.LongName"/> parts or more.</summary>
    private const ulong InTwoPartNameSalt = 0x6A09E667F3BCC909UL;

    /// <summary>
    /// The keys a held name is filed under: its part pairs, or its one part's key; its parts for one-part queries; its
    /// less common parts for the aliases of the other shape (see the remarks); none for an unreadable name.
    /// </summary>
    public static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForFiling(string? name) => ForFiling(name, NameKeyScope.AsBuilt);

    /// <summary><see cref="ForFiling(string?)"/> with other scoped part keys: for measuring the alternatives (<c>bench hitkeys</c>).</summary>
    internal static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForFiling(string? name, NameKeyScope scope)
    {
        var parts = NameParser.Parse(name);
        var keys = new List<NameMatchKey>(12);
        var count = PartCount(parts);
        if (count < 2)
        {
            AddPartKeys(parts, keys, BlockingKeys.PartSalt, 0);
            return (parts, keys);
        }

        AddPairKeys(parts, keys);
        AddPartKeys(parts, keys, InNameSalt, scope.OnePartWeight);
        AddAliasKeys(parts, keys, count, scope, twoPartSalt: InTwoPartNameSalt, longSalt: InLongNameSalt);
        return (parts, keys);
    }

    /// <summary>
    /// The keys a query looks up: its part pairs; each part alone, which meets names held as that one part; and the
    /// scoped part keys of its shape: a one-part query meets any held name carrying the part, a two-part query a held
    /// long name carrying one of its less common parts, a long query a held two-part name so (see the remarks).
    /// </summary>
    public static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForQuery(string? name) => ForQuery(name, NameKeyScope.AsBuilt);

    /// <summary><see cref="ForQuery(string?)"/> with other scoped part keys: for measuring the alternatives (<c>bench hitkeys</c>).</summary>
    internal static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForQuery(string? name, NameKeyScope scope)
    {
        var parts = NameParser.Parse(name);
        var keys = new List<NameMatchKey>(16);
        var count = PartCount(parts);
        AddPairKeys(parts, keys);
        AddPartKeys(parts, keys, BlockingKeys.PartSalt, 0);
        if (count == 1)
        {
            AddPartKeys(parts, keys, InNameSalt, scope.OnePartWeight);
        }

        // Crossed: a two-part query looks up the parts held long names were filed under, a long query those of two-part names.
        AddAliasKeys(parts, keys, count, scope, twoPartSalt: InLongNameSalt, longSalt: InTwoPartNameSalt);
        return (parts, keys);
    }

    /// <summary>
    /// The keys of a <i>possible</i> hit for a query of two or more parts: each of its parts that weighs at least
    /// <see cref="NameKeyScope.OnePartWeight"/>, under the key a held name of two or more parts files it for one-part
    /// queries (<see cref="InNameSalt"/>). A held name that shares one such part with the query meets it: an alias that
    /// kept one part of the full name ("Karim Idrissi" / Yusuf Karim Al-Idrisi), or as often another person with the same
    /// given or family name, so a hit through these keys alone is answered as possible, never as a hit. They ask the
    /// filter nothing that checking each part of the query as a one-part name would not, and the filters stay as they
    /// are (key scheme 2). None for a one-part query (its part keys are already these).
    /// </summary>
    public static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) PossibleForQuery(string? name) => PossibleForQuery(name, NameKeyScope.AsBuilt.OnePartWeight);

    /// <summary><see cref="PossibleForQuery(string?)"/> with a higher part weight (at least the filing side's): for measuring (<c>bench hitkeys</c>).</summary>
    internal static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) PossibleForQuery(string? name, double minimumWeight)
    {
        var parts = NameParser.Parse(name);
        var keys = new List<NameMatchKey>(8);
        if (PartCount(parts) >= 2)
        {
            AddPartKeys(parts, keys, InNameSalt, Math.Max(minimumWeight, NameKeyScope.AsBuilt.OnePartWeight));
        }

        return (parts, keys);
    }

    /// <summary>The parts that are not initials (as <see cref="NameMatcher.IsPartial(IReadOnlyList{NameToken})"/> counts them).</summary>
    private static int PartCount(IReadOnlyList<NameToken> parts)
    {
        var count = 0;
        foreach (var part in parts)
        {
            count += part.IsInitial ? 0 : 1;
        }

        return count;
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

    /// <summary>
    /// The alias keys of the name's shape (see the remarks): a two-part name's less common parts under
    /// <paramref name="twoPartSalt"/>, a name of <see cref="NameKeyScope.LongName"/> parts or more under
    /// <paramref name="longSalt"/>. Filing and query pass the two salts crossed, so each shape meets the other.
    /// </summary>
    private static void AddAliasKeys(IReadOnlyList<NameToken> parts, List<NameMatchKey> keys, int count, NameKeyScope scope, ulong twoPartSalt, ulong longSalt)
    {
        if (count == 2)
        {
            AddPartKeys(parts, keys, twoPartSalt, scope.AliasPartWeight);
        }

        if (count >= scope.LongName)
        {
            AddPartKeys(parts, keys, longSalt, scope.AliasPartWeight);
        }
    }

    private static void AddPartKeys(IReadOnlyList<NameToken> parts, List<NameMatchKey> keys, ulong salt, double minimumWeight)
    {
        var variants = new List<(int Part, ulong Coarse)>(4);
        for (var i = 0; i < Math.Min(parts.Count, BlockingKeys.MaxParts); i++)
        {
            if (parts[i].IsInitial || parts[i].Weight < minimumWeight)
            {
                continue;
            }

            variants.Clear();
            AddVariants(variants, i, parts[i]);
            foreach (var (_, coarse) in variants)
            {
                Add(keys, new NameMatchKey(BlockingKeys.Mix(coarse, salt), i, i));
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

/// <summary>
/// Which scoped part keys names get (see <see cref="NameMatchKeys"/>): one-part names meeting any name carrying their
/// part when it weighs <see cref="OnePartWeight"/> or more; two-part names meeting names of <see cref="LongName"/> parts
/// or more through a part of weight <see cref="AliasPartWeight"/> or more (infinite weight, <see cref="int.MaxValue"/>
/// parts: never).
/// </summary>
internal readonly record struct NameKeyScope(double OnePartWeight, int LongName, double AliasPartWeight)
{
    /// <summary>
    /// What nodes file and look up (key scheme 2): chosen on <c>dev.tsv</c> as the widest scope that keeps its
    /// different-person hits near the pair keys' own (0.035 -> 0.047; two-part aliases against three-part names: 0.31).
    /// </summary>
    public static NameKeyScope AsBuilt { get; } = new(0.4, 4, 0.4);

    /// <summary>Key scheme 1: part pairs, and one-part names by their part only.</summary>
    public static NameKeyScope PairsOnly { get; } = new(double.PositiveInfinity, int.MaxValue, double.PositiveInfinity);
}
