using System.Globalization;
using System.Text;
using Jisr.Domain.Text;

namespace Jisr.Matching.Names;

/// <summary>
/// Cuts a name written in Arabic script or any Latin transliteration into comparable parts: folds letter forms,
/// drops the article (al-, el-, ال), joins compounds (Abd + divine name, Nour + ed-Dine, ben/bou/abou/ould + name)
/// and computes each part's consonant skeleton. Never throws: anything unreadable yields no tokens.
/// </summary>
public static partial class NameParser
{
    public const int MaxNameLength = 512;

    private const double InitialWeight = 0.5;

    /// <summary>Marks where two parts were joined in a Latin token (abd·latif), so no digraph forms across it (d + j is not dj).</summary>
    public const char Joint = '\u00B7';

    private static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "al", "el", "ul", "ur", "u", "ud", "us", "uz", "al'", "el'", "ad", "ed", "ar", "er", "as", "es", "at", "et", "az", "ez", "an", "en", "ash", "esh", "d", "l", "la", "le", "de", "del", "da", "dos", "das" };

    /// <summary>Particles that belong to the next part of the name: written joined or apart, they are one part.</summary>
    private static readonly HashSet<string> JoiningLatin = new(StringComparer.Ordinal) { "ben", "bin", "ibn", "bent", "bint", "ould", "ait", "ayt", "bou", "bu", "abou", "abu", "abo", "abd", "abdel", "abdul", "abdal", "abdou", "abdu", "abdoul", "abdelal", "oum", "umm", "sidi", "moulay", "mulay", "lalla", "ag", "ag'" };

    private static readonly HashSet<string> JoiningArabic = new(StringComparer.Ordinal) { "بن", "ابن", "بنت", "ولد", "ايت", "بو", "ابو", "عبد", "ام", "سيدي", "مولاي", "للا", "اغ" };

    /// <summary>Second halves of compounds such as Nour ed-Dine, Salah ad-Din, Saif al-Islam: joined to the part before.</summary>
    private static readonly HashSet<string> CompoundSuffixLatin = new(StringComparer.Ordinal) { "din", "dine", "deen", "dinne", "eddine", "eddin", "addin", "uddin", "eddyne", "islam", "allah", "ellah", "llah", "ullah", "ollah", "ulla", "ulah", "illah" };

    private static readonly HashSet<string> CompoundSuffixArabic = new(StringComparer.Ordinal) { "دين", "الدين", "اسلام", "الاسلام", "الله", "لله" };

    /// <summary>Persian and Pashto suffixes of a name part (son of, of the tribe, dear, lord), written joined or apart.</summary>
    private static readonly string[] PersianSuffixLatin = ["zadeh", "zada", "zade", "zai", "zay", "khan", "khel", "jan"];

    private static readonly string[] PersianSuffixArabic = ["زاده", "زي", "خان", "خيل", "جان"];

    /// <summary>Second halves of compounds written into one word (Nasiruddin, Hidayatullah, خيرالله).</summary>
    private static readonly string[] FusedCompoundLatin = ["uddin", "eddine", "eddin", "addin", "uddeen", "ullah", "ollah", "allah", "ulla"];

    private static readonly string[] FusedCompoundArabic = ["الدين", "الله"];

    /// <summary>"father of / mother of": a kunya, a name form of its own.</summary>
    private static readonly HashSet<string> Kunya = new(StringComparer.Ordinal) { "abou", "abu", "abo", "oum", "umm", "ابو", "ام" };

    /// <summary>
    /// Titles, ranks, honorifics and list fillers in Latin (English, French) and Arabic script, as folded words.
    /// Kept out: words that are also common names (Hafiz, Sayyid, Agha, Mir, Akhund).
    /// </summary>
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "dr", "doctor", "docteur", "prof", "professor", "professeur",
        "haji", "hajji", "hadji", "hadj", "hajj", "haj", "alhaj", "alhaji", "alhajj", "elhadj",
        "mullah", "mulla", "mulah", "mollah", "molla", "molah", "mola", "mawlana", "maulana", "moulana",
        "maulavi", "maulvi", "mawlawi", "mawlavi", "moulavi", "moulvi", "maulawi", "mowlawi", "molvi",
        "sheikh", "shaykh", "shaikh", "sheik", "cheikh", "chaikh", "shekh",
        "qari", "qary", "imam", "mufti", "ustad", "ustadh", "ustaz", "sahib", "saheb", "akhund", "akhoond", "akhun",
        "general", "gen", "colonel", "col", "lieutenant", "lt", "major", "maj", "captain", "capt", "capitaine", "commandant", "brigadier", "brig",
        "mr", "mrs", "ms", "mme", "mlle", "monsieur", "madame",
        "dit", "alias", "aka", "fnu", "mnu", "lnu", "na", "nee", "ne", "born", "in",
        "الحاج", "حاج", "حاجي", "الحاجي", "ملا", "الملا", "مولوي", "المولوي", "مولانا", "الشيخ", "شيخ", "قاري", "القاري", "امام", "الامام",
        "الدكتور", "دكتور", "د", "المفتي", "مفتي", "استاد", "استاذ", "الاستاذ", "صاحب", "اخوند",
        "العقيد", "عقيد", "اللواء", "لواء", "العميد", "الفريق", "المقدم", "مقدم", "الرائد", "النقيب", "جنرال", "الجنرال",
    };

    public static IReadOnlyList<NameToken> Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        var text = UnicodeText.WithoutLoneSurrogates(name.Length > MaxNameLength ? name[..MaxNameLength] : name);
        var scratch = t_scratch ??= new Scratch();
        scratch.Clear();
        SplitWords(text, scratch);
        var words = WithoutTitles(scratch.Words, scratch.Kept);
        var merged = scratch.Merged;
        var bare = scratch.Bare;
        var kinds = scratch.Kinds;
        var plain = scratch.Plain;
        for (var i = 0; i < words.Count; i++)
        {
            var facts = words[i];
            if (facts.Article && words.Count > 1)
            {
                continue; // "El Alami", "Al-Alami", "Abd al-Latif": the article carries no identity
            }

            var word = facts.Stripped;
            if (word.Length == 0)
            {
                continue;
            }

            if (facts.CompoundSuffix && merged.Count > 0)
            {
                // Nasir ud-Din, Hidayat Ullah: an alias often keeps only the first half (Naseer, Hidayat).
                if (kinds[^1] == NamePartKind.Name && !merged[^1].StartsWith("abd", StringComparison.Ordinal) && !merged[^1].StartsWith("عبد", StringComparison.Ordinal))
                {
                    bare[^1] ??= merged[^1];
                }

                merged[^1] += facts.CompoundJoin;
                plain[^1] = null;
                continue;
            }

            // Ahmad Jan, Adam Khan, Akhund Zada, Noor Zai: one part that a shorter spelling writes without its suffix.
            if (facts.PersianSuffix && merged.Count > 0 && !IsJoining(merged[^1]) && kinds[^1] == NamePartKind.Name)
            {
                bare[^1] ??= merged[^1];
                merged[^1] += facts.PersianJoin;
                if (word is "zai" or "zay" or "khel" or "زي" or "خيل")
                {
                    kinds[^1] = NamePartKind.Tribe;
                }

                plain[^1] = null;
                continue;
            }

            if (merged.Count > 0 && IsJoining(merged[^1]) && !facts.Joining)
            {
                var particle = merged[^1];
                bare[^1] = Patronymic.Contains(particle) || Kunya.Contains(particle) ? word : null;
                kinds[^1] = Patronymic.Contains(particle) ? NamePartKind.Patronymic : Kunya.Contains(particle) ? NamePartKind.Kunya : NamePartKind.Name;
                merged[^1] = JoinedPrefix(particle) + (facts.Arabic ? string.Empty : Joint.ToString()) + word;
                plain[^1] = null;
                continue;
            }

            merged.Add(word);
            kinds.Add(facts.Kind);
            bare.Add(facts.Bare);
            plain.Add(facts.Token);
        }

        var tokens = new NameToken[merged.Count];
        var count = 0;
        for (var k = 0; k < merged.Count; k++)
        {
            // A part as written alone is known from its word; a joined one (ben Ali, Nour ed-Dine) from the cache of parts.
            if ((plain[k] ?? TokenOf(merged[k], bare[k], kinds[k])) is { } token)
            {
                tokens[count++] = token;
            }
        }

        return count == tokens.Length ? tokens : tokens[..count];
    }

    /// <summary>The token of a part, from the cache when it was made before (parts repeat across names far more than names do).</summary>
    private static NameToken? TokenOf(string part, string? bare, NamePartKind kind)
    {
        var key = (part, bare, kind);
        if (Tokens.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var token = MakeToken(part, bare, kind);
        if (token is not null)
        {
            Tokens.Add(key, token);
        }

        return token;
    }

    /// <summary>A part's comparable forms: its skeleton, its spelling, its bare skeleton and its frequency weight (null when nothing is left of it).</summary>
    private static NameToken? MakeToken(string part, string? bare, NamePartKind kind)
    {
        var arabic = IsArabic(part);
        var skeleton = arabic ? Skeletons.OfArabic(part) : Skeletons.OfLatin(part);
        if (skeleton.Length == 0 && part.Length == 0)
        {
            return null;
        }

        var spelling = arabic ? part : Skeletons.LatinSpelling(part);
        var bareSkeleton = bare is { } b ? (IsArabic(b) ? Skeletons.OfArabic(b) : Skeletons.OfLatin(b)) : null;

        // A father's name or a kunya identifies as much as the name in it (ben Mohamed, Abu Mohammed are common).
        // An initial stands for many names: half the weight of a part.
        var initial = !arabic && part.Length == 1;
        var weight = initial ? InitialWeight : kind != NamePartKind.Name && bareSkeleton is not null ? NameFrequencies.WeightOf(bareSkeleton) : NameFrequencies.WeightOf(skeleton);
        return new NameToken(part, spelling, skeleton, arabic, initial, bareSkeleton) { Weight = weight, Kind = kind };
    }

    /// <summary>
    /// Titles, honorifics and fillers (Dr., Haji, Mullah, Maulavi, Sheikh, Qari, General, الحاج, ملا; "dit", "FNU")
    /// are not name parts: they are left out, unless the name has nothing else.
    /// </summary>
    private static List<WordFacts> WithoutTitles(List<WordFacts> words, List<WordFacts> kept)
    {
        if (!words.Exists(w => w.Title))
        {
            return words; // the common case, without a copy
        }

        // Akhund Zada is a name part (Akhundzada), not the title Akhund.
        for (var i = 0; i < words.Count; i++)
        {
            if (!words[i].Title || (i + 1 < words.Count && words[i + 1].PersianSuffixAsWritten))
            {
                kept.Add(words[i]);
            }
        }

        return kept.Count > 0 ? kept : words;
    }

    private static bool IsPersianSuffix(string word) => Array.IndexOf(PersianSuffixLatin, word) >= 0 || Array.IndexOf(PersianSuffixArabic, word) >= 0;

    /// <summary>Noorzai, Barakzai, Sulaiman Khel, نورزی: a tribe's name ends in -zai or -khel after a stem of three letters or more.</summary>
    private static bool IsTribal(string word)
    {
        foreach (var ending in IsArabic(word) ? TribalArabic : TribalLatin)
        {
            if (word.Length >= ending.Length + 3 && word.EndsWith(ending, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] TribalLatin = ["zai", "zay", "khel", "khail"];

    private static readonly string[] TribalArabic = ["زي", "خيل"];

    /// <summary>
    /// A Persian or Pashto suffix written into the word (Walijan, Akhundzada, Noorzai, نورزی), or the second half of
    /// a compound (Nasiruddin, Hidayatullah, نصيرالدين): the stem, or null.
    /// </summary>
    private static string? WithoutPersianSuffix(string word)
    {
        var arabic = IsArabic(word);
        if (word.StartsWith(arabic ? "عبد" : "abd", StringComparison.Ordinal))
        {
            return null; // Abdullah is not Abd
        }

        return Stem(word, arabic ? PersianSuffixArabic : PersianSuffixLatin) ?? Stem(word, arabic ? FusedCompoundArabic : FusedCompoundLatin);

        static string? Stem(string word, string[] suffixes)
        {
            foreach (var suffix in suffixes)
            {
                if (word.Length >= suffix.Length + 3 && word.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return word[..^suffix.Length];
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The word without an article fused into it the Maghrebi way, to compare both forms: Elidrissi, Elalami (el + vowel),
    /// Lahsini, Larbi (la + consonant: الحسني, العربي), Lhoussine (l + consonant: الحسين). Null when there is none.
    /// </summary>
    private static string? WithoutFusedArticle(string word)
    {
        static bool Vowel(char c) => "aeiouy".Contains(c, StringComparison.Ordinal);
        if (word.Length >= 6 && word.StartsWith("el", StringComparison.Ordinal) && Vowel(word[2]))
        {
            return word[2..];
        }

        if (word.Length >= 5 && word.StartsWith("la", StringComparison.Ordinal) && !Vowel(word[2]) && word[2] != 'l')
        {
            return word[2..];
        }

        return word.Length >= 5 && word[0] == 'l' && !Vowel(word[1]) && word[1] != 'l' ? word[1..] : null;
    }

    /// <summary>"son of / daughter of": a father's name that one service writes with the particle and another without.</summary>
    private static readonly HashSet<string> Patronymic = new(StringComparer.Ordinal) { "ben", "bin", "ibn", "bent", "bint", "ould", "ag", "بن", "ابن", "بنت", "ولد", "اغ" };


    private static bool IsJoining(string word) => JoiningLatin.Contains(word) || JoiningArabic.Contains(word);

    /// <summary>"abdel", "abdul", "abd" all become "abd" before joining; "ben", "bin", "ibn" become "bn".</summary>
    private static string JoinedPrefix(string particle) => particle switch
    {
        "abd" or "abdel" or "abdul" or "abdal" or "abdou" or "abdu" or "abdoul" or "abdelal" => "abd",
        "ben" or "bin" or "ibn" => "ben",
        "ayt" => "ait",
        "abou" or "abu" or "abo" => "abou",
        "bou" or "bu" => "bou",
        _ => particle,
    };

    /// <summary>The core of a compound's second half: "eddine" → "din", "ullah" → "lah".</summary>
    private static string SuffixCore(string word) => word switch
    {
        "din" or "dine" or "deen" or "dinne" or "eddine" or "eddin" or "addin" or "uddin" or "eddyne" => "din",
        "islam" => "islam",
        _ => "lah",
    };

    /// <summary>Arabic article written into the word: الإدريسي → إدريسي (kept when what remains is too short to be a name part).</summary>
    private static string StripArabicArticle(string word)
    {
        if (word.Length > 6 && word.StartsWith("عبدال", StringComparison.Ordinal))
        {
            return string.Concat("عبد", word.AsSpan(5)); // عبدالجليل written as one word
        }

        return word.Length > 4 && word.StartsWith("ال", StringComparison.Ordinal) ? word[2..] : word;
    }

    /// <summary>
    /// Latin compounds with the article inside one word: Abdellatif, Abderrahim, Abdessamad → abd + latif/rahim/samad.
    /// </summary>
    private static string StripLatinCompoundArticle(string word)
    {
        // Elidrissi, Elfassi: the Maghrebi article written into the word (but Elias, Eleonore keep theirs).
        if (word.Length >= 6 && word.StartsWith("el", StringComparison.Ordinal) && !"aeiouyl".Contains(word[2], StringComparison.Ordinal))
        {
            return word[2..];
        }

        // Errahmouni, Ezzahiri, Ennaji, Essaidi: the article assimilated to a sun letter, written into the word.
        if (word.Length >= 6 && word[0] is 'e' or 'a' && word[1] == word[2] && "tdrzsnl".Contains(word[1], StringComparison.Ordinal))
        {
            return word[2..];
        }

        // Abdellatif, Abdelkader, Abdelaziz, Abdelouahed, Abderrahim: after "abd" the vowel and the article go.
        if (word.Length > 5 && word.StartsWith("abd", StringComparison.Ordinal) && "aeiou".Contains(word[3], StringComparison.Ordinal))
        {
            var rest = word[4..];
            if (rest.Length > 2 && rest[0] == 'l')
            {
                rest = rest[1] == 'l' ? rest[1..] : rest[1..];
                return "abd" + Joint + rest;
            }

            if (rest.Length > 3 && rest[0] == rest[1] && !"aeiou".Contains(rest[0], StringComparison.Ordinal))
            {
                return "abd" + Joint + rest[1..]; // abd-er-rahim, abd-es-samad
            }
        }

        return word;
    }

    private static bool IsArabic(string word)
    {
        foreach (var c in word)
        {
            if (c is >= '\u0600' and <= '\u06FF')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Folds the text and cuts it into words; Latin words are lower-case ASCII, Arabic words folded Arabic letters.
    /// ASCII text is its own compatibility decomposition, so it is folded as it is, through a table; each word's
    /// facts come from the cache of words (<see cref="FactsOf"/>), so a word seen before allocates nothing.
    /// </summary>
    private static void SplitWords(string text, Scratch scratch)
    {
        var ascii = Ascii.IsValid(text);
        var source = ascii || IsDecomposed(text) ? text : text.Normalize(NormalizationForm.FormKD);
        var buffer = scratch.Buffer(source.Length);
        var length = 0;
        if (ascii)
        {
            foreach (var c in source)
            {
                Step(AsciiFolds[c], buffer, ref length, scratch.Words);
            }
        }
        else
        {
            foreach (var rune in source.EnumerateRunes())
            {
                Step(Fold(rune), buffer, ref length, scratch.Words);
            }
        }

        Flush(buffer, ref length, scratch.Words);

        static void Step(char folded, char[] buffer, ref int length, List<WordFacts> words)
        {
            if (folded == '\0')
            {
                return;
            }

            if (folded == ' ')
            {
                Flush(buffer, ref length, words);
                return;
            }

            // A switch of script inside a word splits it ("Mohamedمحمد").
            if (length > 0 && (folded >= '\u0600') != (buffer[length - 1] >= '\u0600'))
            {
                Flush(buffer, ref length, words);
            }

            buffer[length++] = folded;
        }

        static void Flush(char[] buffer, ref int length, List<WordFacts> words)
        {
            if (length > 0)
            {
                ReadOnlySpan<char> word = buffer.AsSpan(0, length);

                // محمدعبد البصير: "Abd" run into the name before it belongs to the name after it.
                if (word.Length >= 6 && word.EndsWith("عبد", StringComparison.Ordinal))
                {
                    words.Add(FactsOf(word[..^3]));
                    word = "عبد";
                }

                words.Add(FactsOf(word));
                length = 0;
            }
        }
    }

    /// <summary>
    /// Whether the text is already its own compatibility decomposition as far as folding can tell: ASCII and the
    /// Arabic and Persian letters that have no decomposition. Arabic vowel marks may stand in another order than the
    /// canonical one, as folding drops them all.
    /// </summary>
    private static bool IsDecomposed(string text)
    {
        foreach (var c in text)
        {
            if (!(c < '\u0080' || c is '\u0621' or (>= '\u0627' and <= '\u063A') or (>= '\u0640' and <= '\u0652') or '\u067E' or '\u0686' or '\u0698' or '\u06A9' or '\u06AF' or '\u06CC'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>ASCII characters folded (<see cref="Fold"/> of each).</summary>
    private static readonly char[] AsciiFolds = [.. Enumerable.Range(0, 128).Select(c => Fold(new Rune(c)))];

    /// <summary>One character of a name, folded; '\0' drops it, ' ' separates words.</summary>
    private static char Fold(Rune rune)
    {
        var value = rune.Value;
        if (value is >= 'a' and <= 'z')
        {
            return (char)value;
        }

        if (value is >= 'A' and <= 'Z')
        {
            return (char)(value + 32);
        }

        switch (value)
        {
            case '\'' or '\u2019' or '\u2018' or '\u02BF' or '\u02BE' or '\u02BC' or '`' or '\u00B4':
                return '\0'; // apostrophes and ayn/hamza marks: M'hamed = Mhamed, ʿAbd = Abd
            case '-' or '_' or '.' or ',' or '/' or '(' or ')':
                return ' ';
            case 0x0640: // tatweel
                return '\0';
            case >= 0x064B and <= 0x065F:
            case 0x0670:
                return '\0'; // vowel marks
            case 0x0622 or 0x0623 or 0x0625 or 0x0671 or 0x0672 or 0x0673:
                return '\u0627';
            case 0x0624:
                return '\u0648';
            case 0x0626 or 0x0649 or 0x06CC or 0x06D2:
                return '\u064A';
            case 0x0629 or 0x06C1 or 0x06C3 or 0x06BE or 0x06D5:
                return '\u0647'; // ta marbuta; Urdu heh goal, teh marbuta goal, heh doachashmee; Kurdish ae
            case 0x06A9 or 0x06AA:
                return '\u0643';
            case 0x06AF or 0x06AB or 0x06AD or 0x06B3 or 0x06B1:
                return '\u06AF'; // Persian and Pashto gaf, Maghrebi gaf: g, its own letter
            case 0x067C:
                return '\u062A'; // Pashto tteh
            case 0x0689:
                return '\u062F'; // Pashto ddal
            case 0x0693:
                return '\u0631'; // Pashto rreh
            case 0x0696 or 0x0681:
                return '\u0632'; // Pashto rzheh, dze
            case 0x069A:
                return '\u0634'; // Pashto xin
            case 0x0685:
                return '\u0633'; // Pashto tse
            case 0x06BC:
                return '\u0646'; // Pashto rnoon
            case 0x06D0 or 0x06CD or 0x06CE:
                return '\u064A'; // Pashto e, ey; Kurdish yeh
            case 0x06C0:
                return '\u0647'; // heh with yeh above (Persian ezafe)
            case 0x067E:
                return '\u0628'; // Persian pe
            case 0x0686:
                return '\u0634'; // Persian che, closest Arabic sound
            case 0x0698:
                return '\u0632';
            case 0x0679:
                return '\u062A'; // Urdu tteh
            case 0x0688:
                return '\u062F'; // Urdu ddal
            case 0x0691:
                return '\u0631'; // Urdu rreh
            case 0x06BA:
                return '\u0646'; // Urdu noon ghunna
            case 0x06A4:
                return '\u0641'; // veh
            case 0x0621:
                return '\0'; // lone hamza
        }

        if (value is >= 0x0660 and <= 0x0669 or >= 0x06F0 and <= 0x06F9 or >= '0' and <= '9')
        {
            return ' '; // digits are not names: a separator keeps the letters around them apart
        }

        if (value is >= 0x0600 and <= 0x06FF)
        {
            return (char)value;
        }

        // Homoglyphs: Cyrillic and Greek letters that look Latin in a Latin name.
        var homoglyph = value switch
        {
            0x0430 or 0x0410 or 0x03B1 or 0x0391 => 'a',
            0x0435 or 0x0415 or 0x03B5 or 0x0395 => 'e',
            0x043E or 0x041E or 0x03BF or 0x039F => 'o',
            0x0440 or 0x0420 or 0x03C1 or 0x03A1 => 'p',
            0x0441 or 0x0421 => 'c',
            0x0445 or 0x0425 or 0x03C7 or 0x03A7 => 'x',
            0x0443 or 0x0423 => 'y',
            0x0456 or 0x0406 or 0x03B9 or 0x0399 => 'i',
            0x0458 or 0x0408 => 'j',
            0x043A or 0x041A or 0x03BA or 0x039A => 'k',
            0x043C or 0x041C or 0x039C => 'm',
            0x043D or 0x041D or 0x039D => 'n',
            0x0442 or 0x0422 or 0x03C4 or 0x03A4 => 't',
            0x0432 or 0x0412 or 0x0392 => 'b',
            0x0455 or 0x0405 => 's',
            0x04BB or 0x04BA => 'h',
            _ => '\0',
        };
        if (homoglyph != '\0')
        {
            return homoglyph;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category switch
        {
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format => '\0',
            UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => FoldOtherLatin(value),
            _ => ' ',
        };
    }

    /// <summary>Latin letters without an ASCII decomposition: ß, ø, đ, ł, æ, œ, ı.</summary>
    private static char FoldOtherLatin(int value) => value switch
    {
        0x00DF => 's',
        0x00F8 or 0x00D8 or 0x0153 or 0x0152 => 'o',
        0x0111 or 0x0110 or 0x00F0 or 0x00D0 => 'd',
        0x0142 or 0x0141 => 'l',
        0x00E6 or 0x00C6 => 'a',
        0x0131 => 'i',
        0x0127 or 0x0126 => 'h',
        _ => ' ',
    };
}
