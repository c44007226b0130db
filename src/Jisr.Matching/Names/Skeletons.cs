using System.Text;

namespace Jisr.Matching.Names;

/// <summary>
/// Consonant skeletons in one alphabet for both scripts. Arabic script writes consonants and long vowels; Latin
/// transliterations add short vowels and disagree on how to write sounds (ou/u/w, ch/sh, kh, gh, dj/j/g, q/k). The
/// skeleton keeps what all of them share: the consonants, each in one letter, doubles collapsed.
/// Letters: b t T j h x d D r z s S f k l m n g (T = tha, D = dhal, dad and za, g = ghain), nothing for vowels, semivowels, ayn and hamza.
/// </summary>
public static class Skeletons
{
    public static string OfArabic(string word)
    {
        var builder = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var mapped = c switch
            {
                '\u0628' => 'b', // ب
                '\u062A' or '\u0637' => 't', // ت ط
                '\u062B' => 'T', // ث: written th, t or s (Othmane, Osman)
                '\u062C' => 'j', // ج
                '\u062D' => 'h', // ح
                '\u062E' => 'x', // خ
                '\u062F' => 'd', // د
                '\u0630' or '\u0636' or '\u0638' => 'D', // ذ ض ظ: written d or dh in Arabic, z in Persian and Urdu (Zia, Zakir)
                '\u0631' => 'r', // ر
                '\u0632' => 'z', // ز
                '\u0633' or '\u0635' => 's', // س ص
                '\u0634' => 'S', // ش
                '\u063A' => 'g', // غ
                '\u0641' => 'f', // ف
                '\u0642' or '\u0643' => 'k', // ق ك
                '\u06AF' => 'j', // گ: written g, as Latin g is read
                '\u0644' => 'l', // ل
                '\u0645' => 'm', // م
                '\u0646' => 'n', // ن
                '\u0647' => i == word.Length - 1 && i > 1 ? '\0' : 'h', // ه, but a final one is usually ta marbuta (Fatima)
                _ => '\0', // ا و ي ع ء and anything else
            };
            Append(builder, mapped);
        }

        return builder.ToString();
    }

    public static string OfLatin(string word)
    {
        var builder = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            var after = i + 2 < word.Length ? word[i + 2] : '\0';
            switch (c)
            {
                case 's' when next == 'c' && after == 'h':
                    Append(builder, 'S');
                    i += 2;
                    continue;
                case 'k' when next == 'h':
                    Append(builder, 'x');
                    i++;
                    continue;
                case 'g' when next == 'h':
                    Append(builder, 'g');
                    i++;
                    continue;
                case 'c' or 's' when next == 'h':
                    Append(builder, 'S');
                    i++;
                    continue;
                case 't' when next == 'h':
                    Append(builder, 'T');
                    i++;
                    continue;
                case 'd' when next == 'h':
                    Append(builder, 'd');
                    i++;
                    continue;
                case 'd' when next == 'j': // dz is d + z in Persian and Pashto names (Ahmadzai, Akhundzada)
                    Append(builder, 'j');
                    i++;
                    continue;
                case 'p' when next == 'h':
                    Append(builder, 'f');
                    i++;
                    continue;
                case 'c' when next == 'k':
                    Append(builder, 'k');
                    i++;
                    continue;
                case 'c':
                    Append(builder, next is 'e' or 'i' or 'y' ? 's' : 'k');
                    continue;
                case 'q' or 'k':
                    Append(builder, 'k');
                    continue;
                case 'x':
                    Append(builder, 'k');
                    Append(builder, 's');
                    continue;
                case 'g':
                    Append(builder, 'j'); // ج is written g (Gamal), j or dj
                    continue;
                case 'p':
                    Append(builder, 'b');
                    continue;
                case 'v':
                    Append(builder, 'f');
                    continue;
                case 'h':
                    // A final h after a vowel only marks the ending (Fatimah, Aminah); elsewhere it is ح or ه.
                    if (next == '\0' && i > 0 && IsVowel(word[i - 1]))
                    {
                        continue;
                    }

                    Append(builder, 'h');
                    continue;
                case 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'w':
                    continue; // vowels and semivowels leave no trace, as in Arabic script
                case NameParser.Joint:
                    continue;
                default:
                    if (c is >= 'a' and <= 'z')
                    {
                        Append(builder, c);
                    }

                    continue;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A Latin spelling with the commonest transliteration variations removed: vowels reduced to three classes
    /// (a/e, i/y, o/u: Omar = Omer = Umar), ou/oo → u, ee → i, doubles collapsed, a final e dropped.
    /// </summary>
    public static string LatinSpelling(string word)
    {
        var builder = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            if ((c == 'o' && next is 'u' or 'o') || (c == 'e' && next == 'e'))
            {
                c = c == 'e' ? 'i' : 'u';
                i++;
            }
            else
            {
                c = c switch
                {
                    'e' => 'a',
                    'y' => 'i',
                    'o' => 'u',
                    _ => c,
                };
            }

            if (c != NameParser.Joint && (builder.Length == 0 || builder[^1] != c))
            {
                builder.Append(c);
            }
        }

        if (builder.Length > 3 && builder[^1] == 'a' && word[^1] == 'e')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static void Append(StringBuilder builder, char c)
    {
        if (c == '\0')
        {
            return;
        }

        if (builder.Length > 0 && builder[^1] == c)
        {
            return; // doubled consonant (Hammouchi, shadda unwritten in Arabic)
        }

        builder.Append(c);
    }
}
