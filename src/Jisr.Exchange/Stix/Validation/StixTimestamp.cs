using System.Globalization;
using System.Text.RegularExpressions;

namespace Jisr.Exchange.Stix.Validation;

/// <summary>
/// STIX timestamps (RFC 3339, UTC, "Z"): checked for a real calendar date (the schemas' regex accepts 2016-02-30) and
/// compared with their full sub-second precision, which can go beyond what <see cref="DateTime"/> holds.
/// </summary>
public static partial class StixTimestamp
{
    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return false;
        }

        if (!DateTimeOffset.TryParseExact(match.Groups[1].Value + "Z", "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            return false;
        }

        // The fraction to the tick (100 ns): what Jisr stores; finer digits only order timestamps (see Compare).
        var fraction = match.Groups[2].Value.TrimStart('.');
        if (fraction.Length > 0)
        {
            instant = instant.AddTicks(long.Parse(fraction.Length > 7 ? fraction[..7] : fraction.PadRight(7, '0'), CultureInfo.InvariantCulture));
        }

        return true;
    }

    /// <summary>Whether the text has the shape of a timestamp (what needs the calendar check).</summary>
    public static bool LooksLikeOne(string text) => text.Length >= 20 && Shape().IsMatch(text);

    /// <summary>Compares two valid timestamps, fractions included (digit by digit, so 0.000123 is later than 0.000).</summary>
    public static int Compare(string a, string b)
    {
        TryParse(a, out var x);
        TryParse(b, out var y);
        var bySecond = x.CompareTo(y);
        if (bySecond != 0)
        {
            return bySecond;
        }

        var fa = Fraction(a);
        var fb = Fraction(b);
        var width = Math.Max(fa.Length, fb.Length);
        return string.CompareOrdinal(fa.PadRight(width, '0'), fb.PadRight(width, '0'));
    }

    private static string Fraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? string.Empty : text[(dot + 1)..^1];
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$")]
    private static partial Regex Shape();
}
