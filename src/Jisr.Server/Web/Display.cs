namespace Jisr.Server.Web;

/// <summary>How values are shown: in the user's language and culture, names of markings and vocabularies from the resources.</summary>
public static class Display
{
    public static string Date(DateTimeOffset instant) => instant.UtcDateTime.ToString("d", CultureInfo.CurrentCulture);

    public static string DateTime(DateTimeOffset instant) => instant.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";

    public static string Date(DateOnly date) => date.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>Items joined with the language's comma (Arabic writes "،").</summary>
    public static string List(IEnumerable<string> items) =>
        string.Join(CultureInfo.CurrentUICulture.TextInfo.IsRightToLeft ? "، " : ", ", items);

    public static string Number(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Classification(this IStringLocalizer t, Classification value) => t[$"Classification.{Marking.ClassificationNames[value]}"];

    public static string Handling(this IStringLocalizer t, HandlingCode value) => t[$"Handling.{Marking.HandlingNames[value]}"];

    public static string Kind(this IStringLocalizer t, RecordKind value) => t[$"Kind.{RecordVocabulary.Kinds[value]}"];

    public static string Domain(this IStringLocalizer t, ThreatDomain value) => t[$"Domain.{RecordVocabulary.ThreatDomains[value]}"];

    /// <summary>The Admiralty code spelled out: "B2: usually reliable source, probably true".</summary>
    public static string Grading(this IStringLocalizer t, SourceGrading grading)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(grading);
        return $"{grading}: {t[$"Reliability.{grading.Reliability}"]}, {t[$"Credibility.{grading.Credibility}"]}";
    }
}
