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
/// Key scheme 3 adds what un-dev.tsv's missed same-person pairs have in common, by category (<see cref="NameKeyRules"/>):
/// a short part (Abid, Zia) also read joined to the next, as other spellings write it (Abdel Hamid / عابد حامد,
/// Ziaurrahman); an Abd- name that kept its article before a moon letter also read without it (عبد الحق / Abdul-Haq);
/// an Abd- name also filed alone without its Abd (A. Kabir / Abdul Kabir); and a <i>short alias</i>, one part beside a
/// kunya or a tribe (Abu Ali al-Hakim, Abdul Sattar Barakzai) or two parts after a leading title or with the honorific
/// Agha (Mullah Abdul Rauf Aliza, Ahmad Zia Agha), met both ways as a one-part name is (its parts of weight
/// <see cref="NameKeyScope.OnePartWeight"/> or more). None of these fires on dev.tsv's plain given-and-family names.
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
            AddPartKeys(parts, keys, BlockingKeys.PartSalt, 0, scope.Rules, coreOnly: false);
            return (parts, keys);
        }

        AddPairKeys(parts, keys, scope.Rules);
        AddPartKeys(parts, keys, InNameSalt, scope.OnePartWeight, scope.Rules, coreOnly: false);
        AddAliasKeys(parts, keys, count, scope, twoPartSalt: InTwoPartNameSalt, longSalt: InLongNameSalt);
        if (IsShortAlias(name, parts, count, scope.Rules))
        {
            // Held as a one-part name is: a query carrying one of its own parts meets it.
            AddPartKeys(parts, keys, BlockingKeys.PartSalt, scope.OnePartWeight, scope.Rules, coreOnly: true);
        }

        return (parts, keys);
    }

    /// <summary>
    /// The keys a query looks up: its part pairs; each part alone, which meets names held as that one part; and the
    /// scoped part keys of its shape: a one-part query (or a short alias, see the remarks) meets any held name carrying
    /// the part, a two-part query a held long name carrying one of its less common parts, a long query a held two-part
    /// name so.
    /// </summary>
    public static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForQuery(string? name) => ForQuery(name, NameKeyScope.AsBuilt);

    /// <summary><see cref="ForQuery(string?)"/> with other scoped part keys: for measuring the alternatives (<c>bench hitkeys</c>).</summary>
    internal static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) ForQuery(string? name, NameKeyScope scope)
    {
        var parts = NameParser.Parse(name);
        var keys = new List<NameMatchKey>(16);
        var count = PartCount(parts);
        AddPairKeys(parts, keys, scope.Rules);
        AddPartKeys(parts, keys, BlockingKeys.PartSalt, 0, scope.Rules, coreOnly: false);
        if (count == 1)
        {
            AddPartKeys(parts, keys, InNameSalt, scope.OnePartWeight, scope.Rules, coreOnly: false);
        }
        else if (IsShortAlias(name, parts, count, scope.Rules))
        {
            AddPartKeys(parts, keys, InNameSalt, scope.OnePartWeight, scope.Rules, coreOnly: true);
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
    /// filter nothing that checking each part of the query as a one-part name would not. None for a one-part query (its
    /// part keys are already these).
    /// </summary>
    public static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) PossibleForQuery(string? name) => PossibleForQuery(name, NameKeyScope.AsBuilt.OnePartWeight);

    /// <summary><see cref="PossibleForQuery(string?)"/> with a higher part weight (at least the filing side's): for measuring (<c>bench hitkeys</c>).</summary>
    internal static (IReadOnlyList<NameToken> Parts, IReadOnlyList<NameMatchKey> Keys) PossibleForQuery(string? name, double minimumWeight)
    {
        var parts = NameParser.Parse(name);
        var keys = new List<NameMatchKey>(8);
        if (PartCount(parts) >= 2)
        {
            AddPartKeys(parts, keys, InNameSalt, Math.Max(minimumWeight, NameKeyScope.AsBuilt.OnePartWeight), NameKeyScope.AsBuilt.Rules, coreOnly: false);
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

    /// <summary>A part that names the person rather than an affiliation: not an initial, a kunya (Abu Ali) or a tribe (Barakzai).</summary>
    private static bool IsCore(NameToken part) => !part.IsInitial && part.Kind is not (NamePartKind.Kunya or NamePartKind.Tribe) && !IsHonorific(part);

    /// <summary>
    /// Agha (آغا): an honorific that the parser keeps as a part, being a given name too (Agha Jan); beside two other
    /// parts it marks the name as a title does (Ahmad Zia Agha).
    /// </summary>
    private static bool IsHonorific(NameToken part) => part.Spelling is "agha" or "aga" or "اغا" or "آغا";

    /// <summary>
    /// A name of two or more parts that is an alias as lists write them, met as a one-part name is (see the remarks):
    /// one part beside a kunya or a tribe (Abu Ali al-Hakim, Abdul Sattar Barakzai), or two parts with a title or an
    /// honorific (Mullah Abdul Rauf Aliza, Ahmad Zia Agha).
    /// </summary>
    private static bool IsShortAlias(string? name, IReadOnlyList<NameToken> parts, int count, NameKeyRules rules)
    {
        if (count < 2)
        {
            return false;
        }

        var core = 0;
        foreach (var part in parts)
        {
            core += IsCore(part) ? 1 : 0;
        }

        return (core == 1 && (rules & NameKeyRules.AffiliationAliases) != 0)
            || (core == 2 && (rules & NameKeyRules.TitledAliases) != 0 && (NameParser.HasTitle(name) || parts.Any(IsHonorific)));
    }

    /// <summary>
    /// Every pair of parts (of the first <see cref="BlockingKeys.MaxParts"/>), by their skeletons' classes, in sorted
    /// order. With <see cref="NameKeyRules.JoinShortParts"/> a short part (two consonants at most: Abid, Zia, ضيا) is also
    /// read joined to the next one, as another spelling writes them (Abdel Hamid / عابد حامد, Ziaurrahman / Zia-ur-Rahman);
    /// the joined reading pairs with the other parts only.
    /// </summary>
    private static void AddPairKeys(IReadOnlyList<NameToken> parts, List<NameMatchKey> keys, NameKeyRules rules)
    {
        var n = Math.Min(parts.Count, BlockingKeys.MaxParts);
        var variants = new List<(int Part, ulong Coarse)>(n * 2);
        var spans = new List<(int First, int Last, ulong Coarse)>(n * 3);
        for (var i = 0; i < n; i++)
        {
            variants.Clear();
            AddVariants(variants, i, parts[i], rules);
            spans.AddRange(variants.Select(v => (i, i, v.Coarse)));
            if ((rules & NameKeyRules.JoinShortParts) != 0 && i + 1 < n && !parts[i].IsInitial && !parts[i + 1].IsInitial && parts[i].Skeleton.Length is > 0 and <= 2)
            {
                variants.Clear();
                BlockingKeys.AddCoarse(variants, i, parts[i].Skeleton + parts[i + 1].Skeleton, Consonants);
                spans.AddRange(variants.Select(v => (i, i + 1, v.Coarse)));
            }
        }

        foreach (var (i, last, x) in spans)
        {
            foreach (var (j, _, y) in spans)
            {
                if (j > last)
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
            AddPartKeys(parts, keys, twoPartSalt, scope.AliasPartWeight, scope.Rules, coreOnly: false);
        }

        if (count >= scope.LongName)
        {
            AddPartKeys(parts, keys, longSalt, scope.AliasPartWeight, scope.Rules, coreOnly: false);
        }
    }

    /// <summary>
    /// Each part alone under <paramref name="salt"/> (those of <paramref name="minimumWeight"/> or more; the core parts
    /// only when <paramref name="coreOnly"/>). With <see cref="NameKeyRules.AbdStripped"/> an Abd- name is also filed
    /// without its Abd (Abdul Kabir / A. Kabir, Kabir), as a part alone, never in a pair.
    /// </summary>
    private static void AddPartKeys(IReadOnlyList<NameToken> parts, List<NameMatchKey> keys, ulong salt, double minimumWeight, NameKeyRules rules, bool coreOnly)
    {
        var variants = new List<(int Part, ulong Coarse)>(4);
        for (var i = 0; i < Math.Min(parts.Count, BlockingKeys.MaxParts); i++)
        {
            if (parts[i].IsInitial || parts[i].Weight < minimumWeight || (coreOnly && !IsCore(parts[i])))
            {
                continue;
            }

            variants.Clear();
            AddVariants(variants, i, parts[i], rules);
            if ((rules & NameKeyRules.AbdStripped) != 0 && IsAbd(parts[i]) && parts[i].Skeleton.StartsWith("bd", StringComparison.Ordinal))
            {
                var rest = parts[i].Skeleton[2..];
                foreach (var stripped in rest.StartsWith('l') ? new[] { rest, rest[1..] } : [rest])
                {
                    // Abdullah, Abdul, Abdelilah: nothing of a name left without the Abd.
                    if (stripped.Length >= 2 && stripped is not ("lh" or "lhh"))
                    {
                        BlockingKeys.AddCoarse(variants, i, stripped, Consonants);
                    }
                }
            }

            foreach (var (_, coarse) in variants)
            {
                Add(keys, new NameMatchKey(BlockingKeys.Mix(coarse, salt), i, i));
            }
        }
    }

    /// <summary>
    /// A part's skeleton classes: as written, without its particle or suffix; with <see cref="NameKeyRules.AbdArticle"/>
    /// an Abd- name that kept the article before a moon letter (عبد الحق, Abdelhaq: bdlhk) also without it (Abdul-Haq: bdhk).
    /// </summary>
    private static void AddVariants(List<(int Part, ulong Coarse)> variants, int i, NameToken part, NameKeyRules rules)
    {
        BlockingKeys.AddCoarse(variants, i, part.Skeleton, Consonants);
        if (part.BareSkeleton is { } bare)
        {
            BlockingKeys.AddCoarse(variants, i, bare, Consonants);
        }

        if ((rules & NameKeyRules.AbdArticle) != 0 && IsAbd(part) && part.Skeleton.Length > 3 && part.Skeleton.StartsWith("bdl", StringComparison.Ordinal) && part.Skeleton[3..] is not ("h" or "lh"))
        {
            BlockingKeys.AddCoarse(variants, i, "bd" + part.Skeleton[3..], Consonants);
        }
    }

    /// <summary>An Abd- compound (Abdul Kabir, عبد الحق) as the parser joined it.</summary>
    private static bool IsAbd(NameToken part) =>
        part.Spelling.StartsWith("abd", StringComparison.Ordinal) || part.Spelling.StartsWith("عبد", StringComparison.Ordinal);

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

/// <summary>The rules of key scheme 3 over scheme 2 (see <see cref="NameMatchKeys"/>), each to be measured on its own (<c>bench hitkeys</c>).</summary>
[Flags]
internal enum NameKeyRules
{
    None = 0,

    /// <summary>A part of two consonants at most also read joined to the next (Abdel Hamid / عابد حامد).</summary>
    JoinShortParts = 1,

    /// <summary>An Abd- name with the article kept before a moon letter also read without it (عبد الحق / Abdul-Haq).</summary>
    AbdArticle = 2,

    /// <summary>One part beside a kunya or a tribe is met as a one-part name is (Abu Ali al-Hakim, Abdul Sattar Barakzai).</summary>
    AffiliationAliases = 4,

    /// <summary>Two parts after a title are met as a one-part name is (Mullah Abdul Rauf Aliza).</summary>
    TitledAliases = 8,

    /// <summary>An Abd- name is also filed alone without its Abd (Abdul Kabir / A. Kabir).</summary>
    AbdStripped = 16,

    All = JoinShortParts | AbdArticle | AffiliationAliases | TitledAliases | AbdStripped,
}

/// <summary>
/// Which scoped part keys names get (see <see cref="NameMatchKeys"/>): one-part names meeting any name carrying their
/// part when it weighs <see cref="OnePartWeight"/> or more; two-part names meeting names of <see cref="LongName"/> parts
/// or more through a part of weight <see cref="AliasPartWeight"/> or more (infinite weight, <see cref="int.MaxValue"/>
/// parts: never).
/// </summary>
internal readonly record struct NameKeyScope(double OnePartWeight, int LongName, double AliasPartWeight, NameKeyRules Rules = NameKeyRules.None)
{
    /// <summary>
    /// What nodes file and look up (key scheme 3): the scope chosen on <c>dev.tsv</c> for scheme 2 as the widest that keeps
    /// its different-person hits near the pair keys' own (0.035 -> 0.047; two-part aliases against three-part names:
    /// 0.31), with scheme 3's rules (<see cref="NameKeyRules"/>), which leave dev.tsv's figures as they are and take
    /// un-dev.tsv's recall from 0.938 to 0.987 / 0.983 (different-person answers 0.111 -> 0.126, <c>bench hitkeys</c>).
    /// </summary>
    public static NameKeyScope AsBuilt { get; } = new(0.4, 4, 0.4, NameKeyRules.All);

    /// <summary>Key scheme 2: scheme 1 with the scoped part keys, without scheme 3's rules.</summary>
    public static NameKeyScope Scheme2 { get; } = new(0.4, 4, 0.4);

    /// <summary>Key scheme 1: part pairs, and one-part names by their part only.</summary>
    public static NameKeyScope PairsOnly { get; } = new(double.PositiveInfinity, int.MaxValue, double.PositiveInfinity);
}
