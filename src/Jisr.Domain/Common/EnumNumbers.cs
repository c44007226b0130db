using System.Globalization;

namespace Jisr.Domain.Common;

/// <summary>
/// The one way a number from outside the process (a database column, a claim) becomes an enum value. A cast accepts
/// any number, and <c>(Tlp)42</c> would then compare as more restrictive than RED; here an unknown number is refused.
/// Names on the wire go through <see cref="WireNames{TEnum}"/> instead.
/// </summary>
public static class EnumNumbers
{
    public static TEnum Parse<TEnum>(int number, string field)
        where TEnum : struct, Enum =>
        EnumSlots<TEnum>.IsDefined(number)
            ? EnumSlots<TEnum>.From(number)
            : throw DomainValidationException.Coded(field, ValidationCodes.NotOneOf, $"{number} is not a known {typeof(TEnum).Name} (known: {Known<TEnum>.Listing})", number, Known<TEnum>.Listing);

    /// <summary>Parses the decimal text of the number, e.g. "2".</summary>
    public static TEnum Parse<TEnum>(string? text, string field)
        where TEnum : struct, Enum =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? Parse<TEnum>(number, field)
            : throw DomainValidationException.Coded(field, ValidationCodes.NotOneOf, $"'{text}' is not the number of a {typeof(TEnum).Name} (known: {Known<TEnum>.Listing})", text ?? string.Empty, Known<TEnum>.Listing);

    private static class Known<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly string Listing = string.Join(", ", EnumSlots<TEnum>.Values.Select(value => $"{EnumSlots<TEnum>.Of(value)} {value}"));
    }
}
