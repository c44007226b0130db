namespace Jisr.Domain.Markings;

/// <summary>National-style classification, in ascending order of sensitivity (the order matters for comparisons).</summary>
public enum Classification
{
    Unclassified = 0,
    Restricted = 1,
    Confidential = 2,
    Secret = 3,
}

/// <summary>Traffic Light Protocol 2.0, in ascending order of restriction.</summary>
public enum Tlp
{
    Clear = 0,
    Green = 1,
    Amber = 2,
    AmberStrict = 3,
    Red = 4,
}

/// <summary>Handling codes: H0 law-enforcement use only; H1 not for judicial use without consent; H2 no further dissemination without consent; H3 other restrictions written out.</summary>
public enum HandlingCode
{
    H0 = 0,
    H1 = 1,
    H2 = 2,
    H3 = 3,
}

/// <summary>The marking every record carries: classification, TLP and handling code (H3 needs its restriction written out).</summary>
public sealed record Marking
{
    public const int MaxHandlingNoteLength = 1000;

    public static readonly WireNames<Classification> ClassificationNames = new(
        (Classification.Unclassified, "UNCLASSIFIED"),
        (Classification.Restricted, "RESTRICTED"),
        (Classification.Confidential, "CONFIDENTIAL"),
        (Classification.Secret, "SECRET"));

    public static readonly WireNames<Tlp> TlpNames = new(
        (Tlp.Clear, "CLEAR"),
        (Tlp.Green, "GREEN"),
        (Tlp.Amber, "AMBER"),
        (Tlp.AmberStrict, "AMBER+STRICT"),
        (Tlp.Red, "RED"));

    public static readonly WireNames<HandlingCode> HandlingNames = new(
        (HandlingCode.H0, "H0"),
        (HandlingCode.H1, "H1"),
        (HandlingCode.H2, "H2"),
        (HandlingCode.H3, "H3"));

    /// <summary>
    /// Every marking passes these checks, also one EF Core builds from a row (it calls this constructor): there is
    /// no marking, stored or not, with an unknown level or an H3 without its restriction.
    /// </summary>
    private Marking(Classification classification, Tlp tlp, HandlingCode handling, string? handlingNote)
    {
        Classification = ClassificationNames.Require(classification, "classification");
        Tlp = TlpNames.Require(tlp, "tlp");
        Handling = HandlingNames.Require(handling, "handling");
        HandlingNote = Guard.OptionalText(handlingNote, "handlingNote", MaxHandlingNoteLength);
        if (handling == HandlingCode.H3)
        {
            Guard.That(HandlingNote is not null, "handlingNote", ValidationCodes.HandlingNoteRequired, "is required with handling code H3 (write the restriction out)");
        }
        else
        {
            Guard.That(HandlingNote is null, "handlingNote", ValidationCodes.HandlingNoteOnlyH3, "is only allowed with handling code H3");
        }
    }

    public Classification Classification { get; }

    public Tlp Tlp { get; }

    public HandlingCode Handling { get; }

    /// <summary>The written-out restriction; present exactly when <see cref="Handling"/> is H3.</summary>
    public string? HandlingNote { get; }

    /// <summary>H1: not for use in judicial proceedings without the originator's consent. Shown wherever the record goes.</summary>
    public bool NotForJudicialUseWithoutConsent => Handling == HandlingCode.H1;

    public static Marking Create(Classification classification, Tlp tlp, HandlingCode handling, string? handlingNote = null) =>
        new(classification, tlp, handling, handlingNote);

    public static Marking Parse(string? classification, string? tlp, string? handling, string? handlingNote = null) =>
        Create(
            ClassificationNames.Parse(classification, "classification"),
            TlpNames.Parse(tlp, "tlp"),
            HandlingNames.Parse(handling, "handling"),
            handlingNote);

    public override string ToString() =>
        $"{ClassificationNames[Classification]} TLP:{TlpNames[Tlp]} {HandlingNames[Handling]}";
}
