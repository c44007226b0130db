using Jisr.Domain.Records;

namespace Jisr.Policy.Tests;

public sealed class NeutralityScreenTests
{
    [Theory]
    [InlineData("Wanted for armed robbery and murder in Casablanca.")]
    [InlineData("Recherché pour trafic international de résine de cannabis.")]
    [InlineData("مطلوب بتهمة الاتجار الدولي بالمخدرات وتبييض الأموال")]
    [InlineData("Suspected of financing a terrorist cell through hawala transfers.")]
    public void Screen_OrdinaryCriminalMatters_AreNotFlagged(string text)
    {
        Assert.Empty(NeutralityScreen.Screen(ThreatDomain.OrganisedCrime, "armed robbery", text));
    }

    [Theory]
    [InlineData("Recherché comme opposant politique.", "political")]
    [InlineData("Member of a banned political party.", "political")]
    [InlineData("مطلوب لانه معارض سياسي", "political")]
    [InlineData("Déserteur de l'armée.", "military")]
    [InlineData("Accused of apostasy.", "religious")]
    [InlineData("متهم بازدراء الأديان", "religious")]
    [InlineData("Targeted for his ethnic origin.", "racial")]
    public void Screen_PoliticalMilitaryReligiousOrRacialCharacter_IsFlagged(string text, string character)
    {
        var flags = NeutralityScreen.Screen(ThreatDomain.OrganisedCrime, "fraud", text);

        Assert.Contains(flags, f => f.StartsWith(character + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Screen_FoldsCaseAccentsAndArabicForms()
    {
        Assert.NotEmpty(NeutralityScreen.Screen(ThreatDomain.OrganisedCrime, null, "OPPOSANT POLITIQUE"));
        Assert.NotEmpty(NeutralityScreen.Screen(ThreatDomain.OrganisedCrime, null, "Opposant Politiqué"));
        Assert.NotEmpty(NeutralityScreen.Screen(ThreatDomain.OrganisedCrime, null, "ازدراء الأديـــان"));
    }

    [Theory]
    [InlineData(ThreatDomain.DrugTrafficking, "Haute trahison")]
    [InlineData(ThreatDomain.Terrorism, "espionage on behalf of a foreign power")]
    [InlineData(ThreatDomain.OrganisedCrime, "تجمهر غير مسلح")]
    [InlineData(ThreatDomain.Cybercrime, "atteinte à la sûreté de l'État")]
    public void Screen_OffencesPoliticalByNature_AreFlaggedInEveryDomain(ThreatDomain domain, string offence)
    {
        Assert.Contains(NeutralityScreen.Screen(domain, offence, "Wanted", "Arrest warrant"), f => f.StartsWith("political offence:", StringComparison.Ordinal));
    }

    [Fact]
    public void Screen_PoliticalOffenceWords_InTheSummaryOnly_AreNotAnOffenceFlag()
    {
        // A smuggling network that also sold forged papers to a spy is still a smuggling case: only the offence says what the notice is for.
        Assert.Empty(NeutralityScreen.Screen(ThreatDomain.MigrantSmuggling, "migrant smuggling", "Wanted", "Sold forged passports; one buyer was later tried for espionage."));
    }

    [Theory]
    [InlineData(ThreatDomain.Terrorism, "apologie du terrorisme", true)]
    [InlineData(ThreatDomain.OnlineExtremism, "الإشادة بأعمال إرهابية", true)]
    [InlineData(ThreatDomain.OnlineExtremism, "publishing propaganda videos", true)]
    [InlineData(ThreatDomain.Terrorism, "bomb attack on a bus station", false)]
    [InlineData(ThreatDomain.Cybercrime, "publishing stolen card numbers", false)]
    [InlineData(ThreatDomain.DrugTrafficking, "propaganda", false)]
    public void Screen_ExpressionOffences_AreFlaggedOnlyUnderTheDomainsStretchedOverOpinion(ThreatDomain domain, string offence, bool flagged)
    {
        var flags = NeutralityScreen.Screen(domain, offence, "Wanted", "Arrest warrant");

        Assert.Equal(flagged, flags.Any(f => f.StartsWith("expression offence under", StringComparison.Ordinal)));
        Assert.Equal(flagged, flags.Count > 0);
    }

    [Theory]
    [InlineData("high tr\u0435ason")] // Cyrillic е
    [InlineData("\uFF45\uFF53\uFF50\uFF49\uFF4F\uFF4E\uFF41\uFF47\uFF45")] // full-width "espionage"
    [InlineData("\u0455\u0435dition")] // Cyrillic ѕ and е
    [InlineData("\u0395SPI\u039FNAGE")] // Greek Ε and Ο, upper case
    [InlineData("tre\u200Bason")] // a zero-width space inside the word
    public void Screen_LookAlikeLettersAndCompatibilityForms_DoNotHideAPoliticalOffence(string offence)
    {
        var flags = NeutralityScreen.Screen(ThreatDomain.OrganisedCrime, offence, "Wanted.");

        Assert.Contains(flags, f => f.StartsWith("political offence:", StringComparison.Ordinal));
    }

    [Fact]
    public void Screen_RussianOrGreekText_IsNotFlaggedForLookingLatin()
    {
        Assert.Empty(NeutralityScreen.Screen(ThreatDomain.OrganisedCrime, "мошенничество", "Разыскивается за мошенничество.", "Καταζητείται για απάτη."));
    }
}
