namespace Jisr.Exchange.Stix.Validation;

/// <summary>
/// STIX timestamps (RFC 3339, UTC, "Z"): checked for a real calendar date (the schemas' regex accepts 2016-02-30) and
/// compared with their full sub-second precision, which can go beyond what <see cref="DateTime"/> holds.
/// </summary>
public static partial class StixTimestamp
{
    /// <summary>
    /// Reads "yyyy-MM-ddTHH:mm:ss[.fraction]Z" (ASCII digits, a real date, no leap second) by hand: every string of an
    /// import that looks like a timestamp passes here, and the general parser was a visible share of an import's time.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        var s = text.AsSpan();
        if (s.Length < 20 || s[^1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !Number(s[..4], out var year) || !Number(s[5..7], out var month) || !Number(s[8..10], out var day)
            || !Number(s[11..13], out var hour) || !Number(s[14..16], out var minute) || !Number(s[17..19], out var second))
        {
            return false;
        }

        // The fraction to the tick (100 ns): what Jisr stores; finer digits only order timestamps (see Compare).
        var ticks = 0L;
        var fraction = s[19..^1];
        if (fraction.Length > 0)
        {
            if (fraction.Length < 2 || fraction[0] != '.' || fraction[1..].ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            for (var i = 1; i <= 7; i++)
            {
                ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        instant = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks);
        return true;
    }

    private static bool Number(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
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
