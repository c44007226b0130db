using Jisr.Domain.Records;
using Jisr.Domain.Text;

namespace Jisr.Policy;

/// <summary>
/// Screens a notice for political, military, religious or racial character before it can be issued (the neutrality
/// rule of police cooperation). Three rule sets:
/// <list type="bullet">
/// <item>words and phrases in Arabic, French and English anywhere in the notice's text;</item>
/// <item>offences that are political or military by nature (treason, sedition, espionage, an unauthorised
/// demonstration...), looked for in the offence only, whatever the threat domain;</item>
/// <item>under terrorism and online extremism, offences of expression alone (apology, propaganda, publishing):
/// the domains most often stretched over opinion, so a person decides whether the notice is about violence.</item>
/// </list>
/// A hit does not refuse the notice: it holds it for a legal reviewer, who clears or refuses it with a reason.
/// </summary>
public static class NeutralityScreen
{
    private static readonly (string Character, string[] Phrases)[] TextRules =
    [
        ("political", [
            "political opponent", "political party", "political activist", "dissident", "election", "opposition leader", "head of state", "lese majeste",
            "opposant politique", "parti politique", "militant politique", "dissident politique", "elections", "offense au chef de l etat", "crime de lese majeste",
            "معارض سياسي", "حزب سياسي", "ناشط سياسي", "انتخابات", "المعارضه", "اهانه رئيس الدوله"]),
        ("military", [
            "deserter", "desertion", "military secret", "refusal of military service", "conscientious objector",
            "deserteur", "desertion", "secret militaire", "insoumission", "refus du service militaire",
            "فار من الجيش", "الفرار من الخدمه العسكريه", "سر عسكري", "التهرب من التجنيد"]),
        ("religious", [
            "apostasy", "apostate", "blasphemy", "heresy", "proselytism", "religious conversion",
            "apostasie", "apostat", "blaspheme", "heresie", "proselytisme", "conversion religieuse",
            "رده", "مرتد", "ازدراء الاديان", "تجديف", "التبشير", "زندقه"]),
        ("racial", [
            "racial", "ethnic origin", "ethnicity", "race", "tribe",
            "origine ethnique", "ethnie", "appartenance raciale", "tribu",
            "عرق", "اصل عرقي", "قبيله", "عنصري"]),
    ];

    private static readonly string[] PoliticalOffences =
    [
        "treason", "high treason", "sedition", "espionage", "spying", "unlawful assembly", "unauthorised demonstration", "unauthorized demonstration",
        "insulting the head of state", "insulting the king", "undermining the state", "subversion", "rebellion",
        "trahison", "haute trahison", "sedition", "espionnage", "intelligence avec une puissance etrangere", "attroupement", "manifestation non autorisee",
        "offense au chef de l etat", "outrage au roi", "atteinte a la surete de l etat", "subversion", "rebellion",
        "خيانه", "الخيانه العظمى", "تجسس", "التخابر مع جهه اجنبيه", "تجمهر", "مظاهره غير مرخصه", "المس بامن الدوله", "العصيان", "الاساءه للملك",
    ];

    private static readonly string[] ExpressionOffences =
    [
        "apology for terrorism", "glorification", "glorifying", "propaganda", "publishing", "online posts", "sharing content", "speech",
        "apologie", "glorification", "propagande", "publication", "diffusion de contenus", "discours",
        "الاشاده", "اشاده", "الدعايه", "الترويج", "نشر", "تدوينات", "خطاب",
    ];

    private static readonly ThreatDomain[] DomainsStretchedOverOpinion = [ThreatDomain.Terrorism, ThreatDomain.OnlineExtremism];

    /// <summary>Arabic attaches prepositions and conjunctions to the next word (بازدراء = ب + ازدراء): each Arabic phrase is also looked for with them.</summary>
    private static readonly string[] ArabicProclitics = ["", "\u0628", "\u0648", "\u0644", "\u0641", "\u0643", "\u0648\u0628", "\u0648\u0644"];

    private static readonly (string Character, string[] Phrases)[] FoldedTextRules = [.. TextRules.Select(r => (r.Character, Fold(r.Phrases)))];

    private static readonly string[] FoldedPoliticalOffences = Fold(PoliticalOffences);

    private static readonly string[] FoldedExpressionOffences = Fold(ExpressionOffences);

    /// <summary>
    /// The flags for a notice (e.g. <c>political: "opposant politique"</c>, <c>political offence: "trahison"</c>);
    /// empty when nothing is found.
    /// </summary>
    public static IReadOnlyList<string> Screen(ThreatDomain threatDomain, string? offence, params string?[] texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var all = Folded([offence, .. texts]);
        var flags = new List<string>();
        foreach (var (character, phrases) in FoldedTextRules)
        {
            flags.AddRange(Found(all, phrases).Select(p => $"{character}: \"{p}\""));
        }

        var offenceOnly = Folded([offence]);
        flags.AddRange(Found(offenceOnly, FoldedPoliticalOffences).Select(p => $"political offence: \"{p}\""));
        if (DomainsStretchedOverOpinion.Contains(threatDomain))
        {
            flags.AddRange(Found(offenceOnly, FoldedExpressionOffences).Select(p => $"expression offence under {RecordVocabulary.ThreatDomains[threatDomain]}: \"{p}\" (is the notice about violence, or about an opinion?)"));
        }

        return flags;
    }

    /// <summary>The text folded as search folds it, after look-alike letters and compatibility forms are undone (a notice must not slip past the screen by spelling "trеason" with a Cyrillic е).</summary>
    private static string Folded(string?[] texts) => $" {TextFolding.FoldForSearch(Confusables.AsReaderSeesIt(string.Join(' ', texts)))} ";

    private static IEnumerable<string> Found(string folded, string[] phrases) =>
        phrases.Where(p => folded.Contains(p, StringComparison.Ordinal)).Select(p => p.Trim());

    /// <summary>Folds phrases as the text is folded, padded with spaces so only whole words match, Arabic ones with each proclitic.</summary>
    private static string[] Fold(string[] phrases) =>
        [.. phrases.Select(p => TextFolding.FoldForSearch(p))
            .SelectMany(p => p.Length > 0 && p[0] >= '\u0600' ? ArabicProclitics.Select(c => $" {c}{p} ") : [$" {p} "])
            .Distinct()];
}
