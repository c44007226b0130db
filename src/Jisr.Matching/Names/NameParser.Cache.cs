namespace Jisr.Matching.Names;

/// <summary>
/// What makes parsing cheap: names are few thousand distinct words in many combinations, so what the parser knows of
/// a folded word (its script, whether it is a title, an article, a particle or a suffix, the word without its
/// article, its bare form and its token when it stands alone) is worked out once per word, and the token of a joined
/// part (ben Ali, Nour ed-Dine) once per part. Both caches are shared by all threads and bounded, keeping the words
/// and parts in use (<see cref="BoundedCache{TKey, TValue}"/>): a flood of distinct names neither grows them without end
/// nor crowds out the common words; a word not cached is worked out again, with the same result.
/// </summary>
public static partial class NameParser
{
    /// <summary>
    /// How many distinct words, and distinct joined parts, each generation of the caches keeps (a few hundred bytes each;
    /// the caches hold at most two generations).
    /// </summary>
    internal const int MaxCachedWords = 100_000;

    internal const int MaxCachedParts = 100_000;

    private static readonly BoundedCache<string, WordFacts> Words = new(MaxCachedWords, StringComparer.Ordinal);
    private static readonly BoundedCache<(string Part, string? Bare, NamePartKind Kind), NameToken> Tokens = new(MaxCachedParts);

    /// <summary>How many words and joined parts the caches hold now (for the test that they stay bounded).</summary>
    internal static (int Words, int Parts) CachedCounts => (Words.Count, Tokens.Count);

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>The facts of a folded word, from the cache (the word's text is allocated only the first time it is met).</summary>
    private static WordFacts FactsOf(ReadOnlySpan<char> word)
    {
        if (Words.TryGetValue(word, out var known))
        {
            return known;
        }

        var facts = new WordFacts(word.ToString());
        Words.Add(facts.Text, facts);
        return facts;
    }

    /// <summary>What the parser asks of one folded word, worked out once: each answer is what the rule of <see cref="Parse"/> would compute from the word.</summary>
    private sealed class WordFacts
    {
        public WordFacts(string text)
        {
            Text = text;
            Arabic = IsArabic(text);
            Title = Titles.Contains(text);
            PersianSuffixAsWritten = IsPersianSuffix(text);
            Article = !Arabic && Articles.Contains(text);
            Stripped = Arabic ? StripArabicArticle(text) : StripLatinCompoundArticle(text);
            CompoundSuffix = Arabic ? CompoundSuffixArabic.Contains(text) || CompoundSuffixArabic.Contains(Stripped) : CompoundSuffixLatin.Contains(Stripped);
            CompoundJoin = Arabic ? Stripped : Joint + SuffixCore(Stripped);
            PersianSuffix = IsPersianSuffix(Stripped);
            PersianJoin = Arabic ? Stripped : Joint + Stripped;
            Joining = IsJoining(Stripped);
            Kind = IsTribal(Stripped) ? NamePartKind.Tribe : NamePartKind.Name;
            Bare = Arabic ? WithoutPersianSuffix(Stripped) : WithoutFusedArticle(Stripped) ?? WithoutPersianSuffix(Stripped);
            Token = Stripped.Length == 0 ? null : MakeToken(Stripped, Bare, Kind);
        }

        /// <summary>The folded word.</summary>
        public string Text { get; }

        public bool Arabic { get; }

        /// <summary>A title, rank or filler (Dr., Haji, ملا, FNU).</summary>
        public bool Title { get; }

        /// <summary>A Persian or Pashto suffix as written (Zada after Akhund keeps the title a name part).</summary>
        public bool PersianSuffixAsWritten { get; }

        /// <summary>A Latin article written apart (al, el, ad-): dropped when the name has more than one word.</summary>
        public bool Article { get; }

        /// <summary>The word without an article written into it (الإدريسي, Abdellatif → abd·latif).</summary>
        public string Stripped { get; }

        /// <summary>The second half of a compound (ed-Dine, Ullah, الدين), and what it appends to the part before.</summary>
        public bool CompoundSuffix { get; }

        public string CompoundJoin { get; }

        /// <summary>A Persian or Pashto suffix written apart (Jan, Khan, Zai), and what it appends to the part before.</summary>
        public bool PersianSuffix { get; }

        public string PersianJoin { get; }

        /// <summary>A particle that joins the next word (ben, abu, abd, بن).</summary>
        public bool Joining { get; }

        /// <summary>The kind, bare form and token of the word as a part of its own.</summary>
        public NamePartKind Kind { get; }

        public string? Bare { get; }

        public NameToken? Token { get; }
    }

    /// <summary>One thread's working lists and folding buffer, reused from name to name.</summary>
    private sealed class Scratch
    {
        private char[] _buffer = new char[128];

        public List<WordFacts> Words { get; } = [];

        public List<WordFacts> Kept { get; } = [];

        public List<string> Merged { get; } = [];

        public List<string?> Bare { get; } = [];

        public List<NamePartKind> Kinds { get; } = [];

        public List<NameToken?> Plain { get; } = [];

        public char[] Buffer(int length)
        {
            if (_buffer.Length < length)
            {
                _buffer = new char[Math.Max(length, _buffer.Length * 2)];
            }

            return _buffer;
        }

        public void Clear()
        {
            Words.Clear();
            Kept.Clear();
            Merged.Clear();
            Bare.Clear();
            Kinds.Clear();
            Plain.Clear();
        }
    }
}
