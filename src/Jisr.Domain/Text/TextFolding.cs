using System.Globalization;

namespace Jisr.Domain.Text;

/// <summary>
/// Folds free text (Arabic, French, English) to the form full-text search indexes and queries:
/// Arabic vowel marks, tatweel, alef/hamza forms, ta marbuta and alif maqsura are folded;
/// Latin text is lower-cased (invariant culture) and stripped of accents; Arabic-Indic digits become ASCII.
/// The stored text is never changed: this is applied to index columns and to queries only.
/// </summary>
public static class TextFolding
{
    /// <summary>Returns the search form of <paramref name="text"/>; tokens are separated by single spaces.</summary>
    public static string FoldForSearch(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var decomposed = UnicodeText.WithoutLoneSurrogates(text).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = true;
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var folded = FoldRune(rune);
            if (folded is null)
            {
                continue;
            }

            if (folded == " ")
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                    lastWasSpace = true;
                }

                continue;
            }

            builder.Append(folded);
            lastWasSpace = false;
        }

        if (builder.Length > 0 && builder[^1] == ' ')
        {
            builder.Length--;
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Null drops the rune; " " marks a token boundary.</summary>
    private static string? FoldRune(Rune rune)
    {
        var value = rune.Value;
        switch (value)
        {
            // Arabic vowel marks (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel.
            case >= 0x064B and <= 0x065F:
            case 0x0670:
            case >= 0x06D6 and <= 0x06ED:
            case 0x0640:
                return null;
            // Alef forms: madda, hamza above/below, wasla. The combining hamza/madda marks are removed above (FormD).
            case 0x0622 or 0x0623 or 0x0625 or 0x0671:
                return "\u0627";
            case 0x0624: // waw with hamza
                return "\u0648";
            case 0x0626: // yeh with hamza
            case 0x0649: // alif maqsura
            case 0x06CC: // Farsi yeh
                return "\u064A";
            case 0x0629: // ta marbuta
                return "\u0647";
            case 0x06A9: // keheh
                return "\u0643";
            case >= 0x0660 and <= 0x0669:
                return ((char)('0' + (value - 0x0660))).ToString();
            case >= 0x06F0 and <= 0x06F9:
                return ((char)('0' + (value - 0x06F0))).ToString();
            // Bidi controls and zero-width characters carry no meaning for search.
            case 0x200B or 0x200C or 0x200D or 0x200E or 0x200F or 0xFEFF:
            case >= 0x202A and <= 0x202E:
            case >= 0x2066 and <= 0x2069:
                return null;
        }

        var category = Rune.GetUnicodeCategory(rune);
        switch (category)
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.Format:
                return null;
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
                return Rune.ToLowerInvariant(rune).ToString();
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.DecimalDigitNumber:
                return rune.ToString();
            default:
                // Punctuation, symbols, separators: token boundaries.
                return " ";
        }
    }
}
