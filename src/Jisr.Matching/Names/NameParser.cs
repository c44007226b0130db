using System.Globalization;
using System.Text;
using Jisr.Domain.Text;

namespace Jisr.Matching.Names;

/// <summary>
/// Cuts a name written in Arabic script or any Latin transliteration into comparable parts: folds letter forms,
/// drops the article (al-, el-, ال), joins compounds (Abd + divine name, Nour + ed-Dine, ben/bou/abou/ould + name)
/// and computes each part's consonant skeleton. Never throws: anything unreadable yields no tokens.
/// </summary>
public static class NameParser
{
    public const int MaxNameLength = 512;

    /// <summary>Marks where two parts were joined in a Latin token (abd·latif), so no digraph forms across it (d + j is not dj).</summary>
    public const char Joint = '\u00B7';

    private static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "al", "el", "ul", "al'", "el'", "ad", "ed", "ar", "er", "as", "es", "at", "et", "az", "ez", "an", "en", "ash", "esh", "d", "l", "la", "le", "de", "del", "da", "dos", "das" };

    /// <summary>Particles that belong to the next part of the name: written joined or apart, they are one part.</summary>
    private static readonly HashSet<string> JoiningLatin = new(StringComparer.Ordinal) { "ben", "bin", "ibn", "bent", "bint", "ould", "ait", "ayt", "bou", "bu", "abou", "abu", "abo", "abd", "abdel", "abdul", "abdal", "abdou", "abdu", "abdoul", "abdelal", "oum", "umm", "sidi", "moulay", "mulay", "lalla", "ag", "ag'" };

    private static readonly HashSet<string> JoiningArabic = new(StringComparer.Ordinal) { "بن", "ابن", "بنت", "ولد", "ايت", "بو", "ابو", "عبد", "ام", "سيدي", "مولاي", "للا" };

    /// <summary>Second halves of compounds such as Nour ed-Dine, Salah ad-Din, Saif al-Islam: joined to the part before.</summary>
    private static readonly HashSet<string> CompoundSuffixLatin = new(StringComparer.Ordinal) { "din", "dine", "deen", "dinne", "eddine", "eddin", "addin", "uddin", "eddyne", "islam", "allah", "ellah", "llah", "ullah", "ollah" };

    private static readonly HashSet<string> CompoundSuffixArabic = new(StringComparer.Ordinal) { "دين", "الدين", "اسلام", "الاسلام", "الله", "لله" };

    public static IReadOnlyList<NameToken> Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        var text = UnicodeText.WithoutLoneSurrogates(name.Length > MaxNameLength ? name[..MaxNameLength] : name);
        var words = SplitWords(text);
        var merged = new List<string>();
        var bare = new List<string?>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var arabic = IsArabic(word);
            if (!arabic && Articles.Contains(word) && words.Count > 1)
            {
                continue; // "El Alami", "Al-Alami", "Abd al-Latif": the article carries no identity
            }

            if (arabic)
            {
                word = StripArabicArticle(word);
            }
            else
            {
                word = StripLatinCompoundArticle(word);
            }

            if (word.Length == 0)
            {
                continue;
            }

            var isSuffix = arabic ? CompoundSuffixArabic.Contains(words[i]) || CompoundSuffixArabic.Contains(word) : CompoundSuffixLatin.Contains(word);
            if (isSuffix && merged.Count > 0)
            {
                merged[^1] += arabic ? word : Joint + SuffixCore(word);
                continue;
            }

            if (merged.Count > 0 && IsJoining(merged[^1]) && !IsJoining(word))
            {
                bare[^1] = Patronymic.Contains(merged[^1]) ? word : null;
                merged[^1] = JoinedPrefix(merged[^1]) + (IsArabic(word) ? string.Empty : Joint.ToString()) + word;
                continue;
            }

            merged.Add(word);

            bare.Add(arabic ? null : WithoutFusedArticle(word));
        }

        var tokens = new List<NameToken>(merged.Count);
        for (var k = 0; k < merged.Count; k++)
        {
            var part = merged[k];
            var arabic = IsArabic(part);
            var skeleton = arabic ? Skeletons.OfArabic(part) : Skeletons.OfLatin(part);
            if (skeleton.Length == 0 && part.Length == 0)
            {
                continue;
            }

            var spelling = arabic ? part : Skeletons.LatinSpelling(part);
            var bareSkeleton = bare[k] is { } b ? (arabic ? Skeletons.OfArabic(b) : Skeletons.OfLatin(b)) : null;
            tokens.Add(new NameToken(part, spelling, skeleton, arabic, !arabic && part.Length == 1, bareSkeleton));
        }

        return tokens;
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
    private static readonly HashSet<string> Patronymic = new(StringComparer.Ordinal) { "ben", "bin", "ibn", "bent", "bint", "ould", "بن", "ابن", "بنت", "ولد" };


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

    /// <summary>Folds the text and cuts it into words; Latin words are lower-case ASCII, Arabic words folded Arabic letters.</summary>
    private static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var folded = Fold(rune);
            if (folded == '\0')
            {
                continue;
            }

            if (folded == ' ')
            {
                Flush();
                continue;
            }

            // A switch of script inside a word splits it ("Mohamedمحمد").
            if (current.Length > 0 && (folded >= '\u0600') != (current[^1] >= '\u0600'))
            {
                Flush();
            }

            current.Append(folded);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

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
            case 0x06AF:
                return '\u0643'; // Persian gaf
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
