namespace Jisr.Domain.Text;

/// <summary>
/// Undoes the tricks that make a word look the same to a reader and different to a program: compatibility forms
/// (full-width "ｅｓｐｉｏｎａｇｅ", ligatures, Arabic presentation forms) become their plain letters (NFKC), and
/// Cyrillic and Greek letters drawn like Latin ones (the "е" of "trеason") become those Latin letters. For screens
/// that look for words in text written to slip past them; never applied to stored text or to names.
/// </summary>
public static class Confusables
{
    // The Cyrillic and Greek letters Unicode's confusables list (UTS #39) maps to a single Latin letter.
    private static readonly FrozenDictionary<char, char> LatinLookalikes = new Dictionary<char, char>
    {
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c',
        ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['ѕ'] = 's', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w',
        ['һ'] = 'h', ['ӏ'] = 'l', ['ɡ'] = 'g', ['ı'] = 'i',
        ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P', ['С'] = 'C', ['Т'] = 'T',
        ['У'] = 'Y', ['Х'] = 'X', ['І'] = 'I', ['Ј'] = 'J', ['Ѕ'] = 'S', ['Ԁ'] = 'D', ['Ԛ'] = 'Q', ['Ԝ'] = 'W', ['Һ'] = 'H', ['Ӏ'] = 'I',
        ['α'] = 'a', ['ο'] = 'o', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ε'] = 'e',
        ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N', ['Ο'] = 'O',
        ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X',
    }.ToFrozenDictionary();

    /// <summary>The text as a reader sees it: compatibility forms folded (NFKC) and Latin look-alikes made Latin.</summary>
    public static string AsReaderSeesIt(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var plain = UnicodeText.WithoutLoneSurrogates(text).Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(plain.Length);
        foreach (var c in plain)
        {
            builder.Append(LatinLookalikes.TryGetValue(c, out var latin) ? latin : c);
        }

        return builder.ToString();
    }
}
