namespace Jisr.Domain.Text;

/// <summary>Unicode hygiene shared by every place that reads text from outside (names, free text, search queries).</summary>
public static class UnicodeText
{
    /// <summary>Unpaired surrogates (invalid UTF-16) become spaces, so normalisation never throws.</summary>
    public static string WithoutLoneSurrogates(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text[i]) && !(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                var chars = text.ToCharArray();
                for (var j = i; j < chars.Length; j++)
                {
                    if (char.IsHighSurrogate(chars[j]) && j + 1 < chars.Length && char.IsLowSurrogate(chars[j + 1]))
                    {
                        j++;
                    }
                    else if (char.IsSurrogate(chars[j]))
                    {
                        chars[j] = ' ';
                    }
                }

                return new string(chars);
            }

            if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }

        return text;
    }
}
