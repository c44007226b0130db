namespace Jisr.Domain.Common;

/// <summary>Precondition checks that raise <see cref="DomainValidationException"/> naming the field.</summary>
public static class Guard
{
    /// <summary>Trims, checks length and well-formed Unicode, and returns the text in NFC (as the design requires for stored text).</summary>
    public static string Text(string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                throw DomainValidationException.Coded(field, ValidationCodes.Required, "is required");
            }

            return string.Empty;
        }

        if (value.Length > maxLength * 4)
        {
            // Reject absurd inputs before normalising them.
            throw DomainValidationException.Coded(field, ValidationCodes.TooLong, $"must be at most {maxLength} characters", maxLength);
        }

        if (!IsWellFormed(value))
        {
            throw DomainValidationException.Coded(field, ValidationCodes.InvalidUnicode, "contains invalid Unicode (unpaired surrogate)");
        }

        foreach (var c in value)
        {
            if (c == '\0' || (char.IsControl(c) && c != '\n' && c != '\r' && c != '\t'))
            {
                throw DomainValidationException.Coded(field, ValidationCodes.ControlCharacters, "contains control characters");
            }
        }

        var normalized = value.Trim().Normalize(NormalizationForm.FormC);
        if (normalized.Length > maxLength)
        {
            throw DomainValidationException.Coded(field, ValidationCodes.TooLong, $"must be at most {maxLength} characters", maxLength);
        }

        return normalized;
    }

    public static string? OptionalText(string? value, string field, int maxLength)
    {
        var text = Text(value, field, maxLength, required: false);
        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// Throws a <see cref="DomainValidationException"/> unless <paramref name="condition"/> holds: <paramref name="code"/>
    /// (a <see cref="ValidationCodes"/> constant) is what an interface translates, <paramref name="message"/> the English
    /// wording (the API's detail). There is no overload without a code: every refusal can be said in the reader's language.
    /// </summary>
    public static void That(bool condition, string field, string code, string message, params object[] arguments)
    {
        if (!condition)
        {
            throw DomainValidationException.Coded(field, code, message, arguments);
        }
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
