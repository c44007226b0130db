namespace Jisr.Matching.Names;

/// <summary>Similarity of two name parts in [0, 1], by script pair.</summary>
internal static class TokenSimilarity
{
    public static double Of(NameToken a, NameToken b)
    {
        if (a.IsInitial || b.IsInitial)
        {
            return Initial(a, b);
        }

        var skeleton = Skeleton(a.Skeleton, b.Skeleton);
        if (a.BareSkeleton is not null || b.BareSkeleton is not null)
        {
            // "بن أيوب" against "Ayub": compare without the particle too, at a small discount.
            var bare = Skeleton(a.BareSkeleton ?? a.Skeleton, b.BareSkeleton ?? b.Skeleton) * 0.95;
            skeleton = Math.Max(skeleton, bare);
        }
        if (a.IsArabic == b.IsArabic)
        {
            // Within one script the vowels carry information too (حسن / حسين, Hassan / Hussein).
            var spelling = Levenshtein.Similarity(a.Spelling, b.Spelling);
            var similarity = (0.55 * skeleton) + (0.45 * spelling);
            return a.IsArabic ? similarity : similarity * LatinFrame(a.Original, b.Original);
        }

        return skeleton * Frame(a.IsArabic ? a : b, a.IsArabic ? b : a);
    }

    /// <summary>
    /// Skeletons ignore vowels, so across scripts they alone would make Umar (عمر) meet Maria. Arabic script still
    /// shows whether a word starts with a vowel or ayn and whether it ends with a long vowel or ta marbuta; a Latin
    /// spelling that disagrees at either end is less likely to be the same name.
    /// </summary>
    /// <summary>Two Latin spellings of one name agree on whether it starts and ends with a vowel (Omar / Maria do not).</summary>
    private static double LatinFrame(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 1;
        }

        var lastA = SoundedLast(a);
        var lastB = SoundedLast(b);
        var factor = IsVowel(a[0]) == IsVowel(b[0]) ? 1.0 : 0.9;
        return IsVowel(lastA) == IsVowel(lastB) || lastA == 'h' || lastB == 'h' ? factor : factor * 0.9;
    }

    /// <summary>The last sounded letter: a French final e is silent (Othmane ends like Osman).</summary>
    private static char SoundedLast(string w) => w.Length > 3 && w[^1] == 'e' && !IsVowel(w[^2]) ? w[^2] : w[^1];

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static double Frame(NameToken arabic, NameToken latin)
    {
        var text = arabic.Spelling;
        var word = latin.Original;
        if (text.Length == 0 || word.Length == 0)
        {
            return 1;
        }

        var factor = 1.0;
        var arabicOpensWithVowel = text[0] is '\u0627' or '\u0639';
        var latinOpensWithVowel = word[0] is 'a' or 'e' or 'i' or 'o' or 'u' && !(word.StartsWith("ou", StringComparison.Ordinal) && word.Length > 2 && word[2] is 'a' or 'e' or 'i' or 'y');
        if (arabicOpensWithVowel != latinOpensWithVowel)
        {
            factor *= 0.9;
        }

        var last = text[^1];
        var arabicClosesWithVowel = last is '\u0627' or '\u064A' or '\u0648' or '\u0647';
        var latinClosesWithVowel = IsVowel(word[^1]) || word.EndsWith("ah", StringComparison.Ordinal);
        if (arabicClosesWithVowel != latinClosesWithVowel)
        {
            factor *= 0.9;
        }

        return factor;
    }

    public static string Describe(NameToken a, NameToken b) =>
        a.IsInitial || b.IsInitial ? "initial"
        : a.IsArabic != b.IsArabic ? $"transliteration ({a.Skeleton} ~ {b.Skeleton})"
        : a.Spelling == b.Spelling ? "same spelling"
        : $"spelling variant ({a.Skeleton} ~ {b.Skeleton})";

    private static double Initial(NameToken a, NameToken b)
    {
        var (initial, other) = a.IsInitial ? (a, b) : (b, a);
        if (other.IsInitial)
        {
            return initial.Original == other.Original ? 0.9 : 0;
        }

        var first = other.IsArabic ? other.Skeleton : other.Original;
        return first.Length > 0 && (first[0] == initial.Original[0] || (other.Skeleton.Length > 0 && Skeletons.OfLatin(initial.Original) == other.Skeleton[..1])) ? 0.85 : 0;
    }

    private static double Skeleton(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 0.7 : 0.2;
        }

        if (a == b)
        {
            return 1;
        }

        var distance = Levenshtein.WeightedDistance(a, b);
        return Math.Max(0, 1 - (distance / Math.Max(a.Length, b.Length)));
    }
}

/// <summary>Edit distances for short strings, on the stack: two rows, swapped rather than copied.</summary>
internal static class Levenshtein
{
    public static double Similarity(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        return 1 - ((double)Distance(a, b) / Math.Max(a.Length, b.Length));
    }

    public static int Distance(string a, string b)
    {
        var x = a.AsSpan(0, Math.Min(a.Length, 64));
        var y = b.AsSpan(0, Math.Min(b.Length, 64));
        Span<int> previous = stackalloc int[y.Length + 1];
        Span<int> current = stackalloc int[y.Length + 1];
        for (var j = 0; j <= y.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= x.Length; i++)
        {
            current[0] = i;
            var xi = x[i - 1];
            for (var j = 1; j <= y.Length; j++)
            {
                var cost = xi == y[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            var swap = previous;
            previous = current;
            current = swap;
        }

        return previous[y.Length];
    }

    /// <summary>Edit distance over skeleton letters where sounds that transliterations confuse cost less to swap.</summary>
    public static double WeightedDistance(string a, string b)
    {
        var x = a.AsSpan(0, Math.Min(a.Length, 32));
        var y = b.AsSpan(0, Math.Min(b.Length, 32));
        Span<double> previous = stackalloc double[y.Length + 1];
        Span<double> current = stackalloc double[y.Length + 1];
        for (var j = 0; j <= y.Length; j++)
        {
            previous[j] = j * Indel(j > 0 ? y[j - 1] : ' ');
        }

        for (var i = 1; i <= x.Length; i++)
        {
            var xi = x[i - 1];
            var deleteX = Indel(xi);
            current[0] = previous[0] + deleteX;
            for (var j = 1; j <= y.Length; j++)
            {
                var yj = y[j - 1];
                var substitute = previous[j - 1] + Substitution(xi, yj);
                current[j] = Math.Min(Math.Min(current[j - 1] + Indel(yj), previous[j] + deleteX), substitute);
            }

            var swap = previous;
            previous = current;
            current = swap;
        }

        return previous[y.Length];
    }

    /// <summary>h is often dropped or added (Mohamed/Mohammed is fine; Ahmed/Amed, Brahim/Ibrahim).</summary>
    private static double Indel(char c) => c == 'h' ? 0.6 : 1;

    /// <summary>Skeleton letters (a to z, T, D, S) numbered for <see cref="Costs"/>; anything else shares the last number.</summary>
    private const int Letters = 32;

    private static readonly byte[] Codes = BuildCodes();

    /// <summary><see cref="SubstitutionOf"/> for every pair of skeleton letters, looked up instead of matched.</summary>
    private static readonly double[] Costs = BuildCosts();

    private static double Substitution(char x, char y)
    {
        if (x == y)
        {
            return 0;
        }

        return x < 128 && y < 128 ? Costs[(Codes[x] * Letters) + Codes[y]] : 1;
    }

    private static byte[] BuildCodes()
    {
        var codes = new byte[128];
        Array.Fill(codes, (byte)(Letters - 1));
        for (var c = 'a'; c <= 'z'; c++)
        {
            codes[c] = (byte)(c - 'a');
        }

        (codes['T'], codes['D'], codes['S']) = (26, 27, 28);
        return codes;
    }

    private static double[] BuildCosts()
    {
        var costs = new double[Letters * Letters];
        Array.Fill(costs, 1.0);
        for (var x = (char)0; x < 128; x++)
        {
            for (var y = (char)0; y < 128; y++)
            {
                if (Codes[x] != Letters - 1 && Codes[y] != Letters - 1)
                {
                    costs[(Codes[x] * Letters) + Codes[y]] = SubstitutionOf(x, y);
                }
            }
        }

        return costs;
    }

    private static double SubstitutionOf(char x, char y)
    {
        if (x == y)
        {
            return 0;
        }

        return (x, y) switch
        {
            ('s', 'S') or ('S', 's') => 0.4,
            ('s', 'z') or ('z', 's') => 0.4,
            ('t', 'd') or ('d', 't') => 0.5,
            ('T', 't') or ('t', 'T') => 0.2, // ث: Othmane / Otmane
            ('T', 's') or ('s', 'T') => 0.3, // ث: Othmane / Osman
            ('D', 'd') or ('d', 'D') => 0.15, // ذ ض ظ: Dhakir, Dahir
            ('D', 'z') or ('z', 'D') => 0.25, // ذ ض ظ in Persian and Urdu: Zakir, Zia, Nazim
            ('k', 'x') or ('x', 'k') => 0.4,
            ('h', 'x') or ('x', 'h') => 0.4,
            ('g', 'j') or ('j', 'g') => 0.4,
            ('g', 'r') or ('r', 'g') => 0.5, // غ written r in Maghrebi spellings (Rhali)
            ('g', 'k') or ('k', 'g') => 0.5,
            ('j', 'k') or ('k', 'j') => 0.5, // g for ق (Gasmi), gaf written with kaf (كل, Gul)
            ('j', 'z') or ('z', 'j') => 0.5,
            ('S', 'j') or ('j', 'S') => 0.6,
            ('d', 'z') or ('z', 'd') => 0.5,
            ('b', 'f') or ('f', 'b') => 0.6,
            _ => 1,
        };
    }
}
