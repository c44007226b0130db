using Jisr.Domain.Common;

namespace Jisr.Domain.Markings;

/// <summary>
/// The Admiralty code: source reliability A (completely reliable) to F (cannot be judged) and
/// information credibility 1 (confirmed) to 6 (cannot be judged), written e.g. "B2".
/// </summary>
public readonly record struct SourceGrading
{
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
        Guard.That(upper is >= 'A' and <= 'F', field, "source reliability must be a letter A-F");
        Guard.That(credibility is >= 1 and <= 6, field, "information credibility must be a digit 1-6");
        return new SourceGrading(upper, credibility);
    }

    /// <summary>Parses the two-character form, e.g. "B2".</summary>
    public static SourceGrading Parse(string? code, string field = "sourceGrading")
    {
        var text = code?.Trim();
        Guard.That(text is { Length: 2 } && char.IsAsciiDigit(text[1]), field, $"'{code}' is not an Admiralty grade (letter A-F then digit 1-6, e.g. B2)");
        return Create(text![0], text[1] - '0', field);
    }

    public override string ToString() => $"{Reliability}{Credibility}";
}
