namespace Jisr.Domain.Markings;

/// <summary>
/// The Admiralty code: source reliability A (completely reliable) to F (cannot be judged) and
/// information credibility 1 (confirmed) to 6 (cannot be judged), written e.g. "B2".
/// </summary>
/// <remarks>
/// A class, not a struct: a missing grade is null, which nullable analysis catches, where <c>default</c> of a struct
/// was a grade with reliability '\0' that looked real. Only the 36 valid grades exist; they are made once and shared,
/// so reading a record allocates nothing for its grade.
/// </remarks>
[JsonConverter(typeof(WireTextJsonConverter<SourceGrading>))]
public sealed record SourceGrading : IWireText<SourceGrading>
{
    private const string Reliabilities = "ABCDEF";
    private const int HighestCredibility = 6;

    private static readonly SourceGrading[] Grades =
        [.. Reliabilities.SelectMany(r => Enumerable.Range(1, HighestCredibility).Select(c => new SourceGrading(r, c)))];

    private SourceGrading(char reliability, int credibility)
    {
        Reliability = reliability;
        Credibility = credibility;
    }

    public char Reliability { get; }

    public int Credibility { get; }

    public static SourceGrading Create(char reliability, int credibility, string field = "sourceGrading")
    {
        var upper = char.ToUpperInvariant(reliability);
        if (upper is not (>= 'A' and <= 'F'))
        {
            throw DomainValidationException.Coded(field, ValidationCodes.NotAGrade, "source reliability must be a letter A-F", upper.ToString());
        }

        if (credibility is < 1 or > HighestCredibility)
        {
            throw DomainValidationException.Coded(field, ValidationCodes.NotAGrade, "information credibility must be a digit 1-6", credibility.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return Grades[((upper - 'A') * HighestCredibility) + credibility - 1];
    }

    /// <summary>Parses the two-character form, e.g. "B2".</summary>
    public static SourceGrading Parse(string? text, string field = "sourceGrading")
    {
        var code = text?.Trim();
        Guard.That(code is { Length: 2 } && char.IsAsciiDigit(code[1]), field, ValidationCodes.NotAGrade, $"'{text}' is not an Admiralty grade (letter A-F then digit 1-6, e.g. B2)", text ?? string.Empty);
        return Create(code![0], code[1] - '0', field);
    }

    public override string ToString() => $"{Reliability}{Credibility}";
}
