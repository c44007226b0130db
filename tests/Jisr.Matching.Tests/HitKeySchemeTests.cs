using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>
/// Key scheme 3's rules (<see cref="NameKeyRules"/>), each on names of its category that are not in the dev sets: the
/// pair meets under scheme 3 both ways and did not under scheme 2 (so the rule, not something else, finds it), and
/// names of the same shape outside the category still do not meet.
/// </summary>
public sealed class HitKeySchemeTests
{
    [Theory]
    [InlineData("Abid Latif Qureshi", "Abdellatif Qureshi")] // a short part joined to the next
    [InlineData("عبد الحق السعدي", "Abdul Haq Saadi")] // the article kept before a moon letter (a short name: الحق), dropped in Latin
    [InlineData("ABDUL JALIL HAQQANI", "A. Jalil")] // an Abd- name without its Abd
    [InlineData("Khalid Mahmoud Shehadeh", "Abu Walid Shehadeh")] // one part beside a kunya
    [InlineData("Sadiqullah Naseri Wardak", "Sadiqullah Achakzai")] // one part beside a tribe
    [InlineData("Hamdullah Rahimi", "Maulavi Hamdullah Nomani")] // two parts after a title
    [InlineData("Rahmatullah Wardak", "Rahmatullah Karimi Agha")] // two parts beside the honorific Agha
    public void ACategoryAlias_MeetsTheFullName_BothWays_WhereScheme2DidNot(string full, string alias)
    {
        Assert.True(Meets(full, alias, NameKeyScope.AsBuilt) && Meets(alias, full, NameKeyScope.AsBuilt), $"{full} / {alias}: scheme 3");
        Assert.False(Meets(full, alias, NameKeyScope.Scheme2) || Meets(alias, full, NameKeyScope.Scheme2), $"{full} / {alias}: scheme 2 already met it");
    }

    [Theory]
    [InlineData("Khalid Shehadeh", "Omar Shehadeh")] // two plain two-part names sharing a family name: two people as often as not
    [InlineData("Hamid Haji Nomani", "Hamid Rahimi")] // a title inside a full name makes no alias
    [InlineData("Abu Walid Mohammed", "Mohammed Karim Tazi")] // beside a kunya, but one of the commonest parts
    [InlineData("Ali Hassan Tazi", "Alhassan Bennani")] // a short part joined meets only in a pair with another shared part
    public void NamesOutsideTheCategories_StillDoNotMeet(string a, string b)
    {
        Assert.False(Meets(a, b, NameKeyScope.AsBuilt) || Meets(b, a, NameKeyScope.AsBuilt), $"{a} / {b}");
    }

    [Fact]
    public void AJoinedReading_PairsOnlyWithTheOtherParts()
    {
        // "Abid Latif" read as Abdellatif pairs with Qureshi, never with Latif, its own second half: the pair keys of
        // parts 0 and 1 are those of "Abid Latif" alone, whose joined reading has no other part to pair with.
        var alone = NameMatchKeys.ForFiling("Abid Latif").Keys.Select(k => k.Key).ToHashSet();
        var pairs01 = NameMatchKeys.ForFiling("Abid Latif Qureshi").Keys.Where(k => k.PartA == 0 && k.PartB == 1).ToList();
        Assert.NotEmpty(pairs01);
        Assert.All(pairs01, k => Assert.Contains(k.Key, alone));
        Assert.True(Meets("Abdellatif Qureshi", "Abid Latif Qureshi", NameKeyScope.AsBuilt));
        Assert.False(Meets("Abdellatif", "Abid Latif Qureshi", NameKeyScope.Scheme2 with { Rules = NameKeyRules.JoinShortParts })); // joined readings are pair keys only
    }

    private static bool Meets(string query, string held, NameKeyScope scope)
    {
        var filed = NameMatchKeys.ForFiling(held, scope).Keys.Select(k => k.Key).ToHashSet();
        return NameMatchKeys.ForQuery(query, scope).Keys.Any(k => filed.Contains(k.Key));
    }
}
