using System.Globalization;

namespace Jisr.Domain.Common;

/// <summary>
/// A date known to the year, the month or the day, as dates of birth often are ("1985", "1985-03", "1985-03-12").
/// </summary>
/// <remarks>
/// A class, not a struct: an unknown date is null, which nullable analysis tracks, where <c>default</c> of a struct
/// was the year 0 that no factory accepts but every caller would have taken for a date.
/// </remarks>
[JsonConverter(typeof(WireTextJsonConverter<PartialDate>))]
public sealed record PartialDate : IWireText<PartialDate>
{
    private PartialDate(int year, int? month, int? day)
    {
        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }

    public int? Month { get; }

    public int? Day { get; }

    /// <summary>The earliest day this partial date may stand for.</summary>
    public DateOnly Earliest => new(Year, Month ?? 1, Day ?? 1);

    public static PartialDate Create(int year, int? month = null, int? day = null, string field = "date")
    {
        Guard.That(year is >= 1800 and <= 9999, field, ValidationCodes.DateRange, "year must be between 1800 and 9999");
        Guard.That(month is null or (>= 1 and <= 12), field, ValidationCodes.DateRange, "month must be between 1 and 12");
        Guard.That(day is null || month is not null, field, ValidationCodes.DayNeedsMonth, "a day needs a month");
        if (day is not null)
        {
            Guard.That(day >= 1 && day <= DateTime.DaysInMonth(year, month!.Value), field, ValidationCodes.DateRange, "day does not exist in that month");
        }

        return new PartialDate(year, month, day);
    }

    /// <summary>Parses YYYY, YYYY-MM or YYYY-MM-DD.</summary>
    public static PartialDate Parse(string? text, string field = "date")
    {
        Guard.That(!string.IsNullOrWhiteSpace(text), field, ValidationCodes.Required, "is required (YYYY, YYYY-MM or YYYY-MM-DD)");
        var parts = text!.Trim().Split('-');
        Guard.That(parts.Length is >= 1 and <= 3, field, ValidationCodes.NotADate, $"'{text}' is not YYYY, YYYY-MM or YYYY-MM-DD", text!);
        int[] lengths = [4, 2, 2];
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            Guard.That(
                parts[i].Length == lengths[i] && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]),
                field,
                ValidationCodes.NotADate,
                $"'{text}' is not YYYY, YYYY-MM or YYYY-MM-DD",
                text!);
        }

        return Create(numbers[0], parts.Length > 1 ? numbers[1] : null, parts.Length > 2 ? numbers[2] : null, field);
    }

    public override string ToString() => (Month, Day) switch
    {
        (null, _) => Year.ToString("D4", CultureInfo.InvariantCulture),
        (_, null) => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}"),
    };
}
