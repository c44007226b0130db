using Jisr.Matching.Normalization;

namespace Jisr.Policy;

/// <summary>
/// Screens a notice for political, military, religious or racial character before it can be issued: words and
/// phrases in Arabic, French and English, and offences that are political, military or religious by nature. A hit
/// does not refuse the notice: it holds it for a legal reviewer, who clears or refuses it with a reason.
/// </summary>
public static class NeutralityScreen
{
    private static readonly (string Character, string[] Phrases)[] Rules =
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

    /// <summary>Arabic attaches prepositions and conjunctions to the next word (بازدراء = ب + ازدراء): each Arabic phrase is also looked for with them.</summary>
    private static readonly string[] ArabicProclitics = ["", "\u0628", "\u0648", "\u0644", "\u0641", "\u0643", "\u0648\u0628", "\u0648\u0644"];

    private static readonly (string Character, string[] Phrases)[] FoldedRules =
        [.. Rules.Select(r => (r.Character, r.Phrases.Select(p => TextFolding.FoldForSearch(p))
            .SelectMany(p => p.Length > 0 && p[0] >= '\u0600' ? ArabicProclitics.Select(c => $" {c}{p} ") : [$" {p} "])
            .Distinct().ToArray()))];

    /// <summary>The flags for this text (e.g. <c>political: "opposant politique"</c>); empty when nothing is found.</summary>
    public static IReadOnlyList<string> Screen(params string?[] texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var folded = $" {TextFolding.FoldForSearch(string.Join(' ', texts))} ";
        var flags = new List<string>();
        foreach (var (character, phrases) in FoldedRules)
        {
            foreach (var phrase in phrases)
            {
                if (folded.Contains(phrase, StringComparison.Ordinal))
                {
                    flags.Add($"{character}: \"{phrase.Trim()}\"");
                }
            }
        }

        return flags;
    }
}
