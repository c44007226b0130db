using Jisr.Domain.Common;

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

    private Marking(Classification classification, Tlp tlp, HandlingCode handling, string? handlingNote)
    {
        Classification = classification;
        Tlp = tlp;
        Handling = handling;
        HandlingNote = handlingNote;
    }

    public Classification Classification { get; }

    public Tlp Tlp { get; }

    public HandlingCode Handling { get; }

    /// <summary>The written-out restriction; present exactly when <see cref="Handling"/> is H3.</summary>
    public string? HandlingNote { get; }

    /// <summary>H1: not for use in judicial proceedings without the originator's consent. Shown wherever the record goes.</summary>
    public bool NotForJudicialUseWithoutConsent => Handling == HandlingCode.H1;

    public static Marking Create(Classification classification, Tlp tlp, HandlingCode handling, string? handlingNote = null)
    {
        Guard.That(Enum.IsDefined(classification), "classification", "is not a known classification");
        Guard.That(Enum.IsDefined(tlp), "tlp", "is not a known TLP level");
        Guard.That(Enum.IsDefined(handling), "handling", "is not a known handling code");
        var note = Guard.OptionalText(handlingNote, "handlingNote", MaxHandlingNoteLength);
        if (handling == HandlingCode.H3)
        {
            Guard.That(note is not null, "handlingNote", "is required with handling code H3 (write the restriction out)");
        }
        else
        {
            Guard.That(note is null, "handlingNote", "is only allowed with handling code H3");
        }

        return new Marking(classification, tlp, handling, note);
    }

    public static Marking Parse(string? classification, string? tlp, string? handling, string? handlingNote = null) =>
        Create(
            ClassificationNames.Parse(classification, "classification"),
            TlpNames.Parse(tlp, "tlp"),
            HandlingNames.Parse(handling, "handling"),
            handlingNote);

    public override string ToString() =>
        $"{ClassificationNames[Classification]} TLP:{TlpNames[Tlp]} {HandlingNames[Handling]}";
}
