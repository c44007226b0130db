namespace Jisr.Domain.Common;

/// <summary>ISO 3166-1 alpha-2 country codes, upper-cased; <c>INT</c> stands for an international organisation.</summary>
public static class CountryCode
{
    public static string Parse(string? value, string field, bool allowInternational = false)
    {
        var text = value?.Trim().ToUpperInvariant();
        var ok = text is { Length: 2 } && char.IsAsciiLetterUpper(text[0]) && char.IsAsciiLetterUpper(text[1]);
        ok |= allowInternational && text == "INT";
        Guard.That(ok, field, ValidationCodes.NotACountry, $"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. MA, FR, ES)", value ?? string.Empty);
        return text!;
    }
}
