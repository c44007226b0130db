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
        Assert.Empty(NeutralityScreen.Screen(text));
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
        var flags = NeutralityScreen.Screen(text);

        Assert.Contains(flags, f => f.StartsWith(character, StringComparison.Ordinal));
    }

    [Fact]
    public void Screen_FoldsCaseAccentsAndArabicForms()
    {
        Assert.NotEmpty(NeutralityScreen.Screen("OPPOSANT POLITIQUE"));
        Assert.NotEmpty(NeutralityScreen.Screen("Opposant Politiqué"));
        Assert.NotEmpty(NeutralityScreen.Screen("ازدراء الأديـــان"));
    }
}
