using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

public sealed class NameMatcherTests
{
    // Around the one decision threshold.
    private const double Same = NameMatcher.MatchThreshold + 0.03;
    private const double Different = NameMatcher.MatchThreshold;

    [Theory]
    [InlineData("محمد بن أحمد العلمي", "MOHAMED EL ALAMI")]
    [InlineData("محمد بن أحمد العلمي", "Muhammad Ahmad Al-Alami")]
    [InlineData("MOHAMED EL ALAMI", "Muhammad Ahmad Al-Alami")]
    [InlineData("Mohamed", "محمد")]
    [InlineData("Muhammad", "Mohamed")]
    [InlineData("Youssef", "Yusuf")]
    [InlineData("Youcef", "Youssef")]
    [InlineData("يوسف", "Youcef")]
    [InlineData("Hammouchi", "Hamouchi")]
    [InlineData("Hamouchi", "حموشي")]
    [InlineData("Abdellatif", "Abdul Latif")]
    [InlineData("Abdellatif", "Abd al-Latif")]
    [InlineData("Abd al-Latif", "عبد اللطيف")]
    [InlineData("Noureddine", "Nour Eddine")]
    [InlineData("Nour Eddine", "نور الدين")]
    [InlineData("Abderrahim Benali", "عبد الرحيم بن علي")]
    [InlineData("EL IDRISSI Youssef", "Youssef El Idrissi")]
    [InlineData("Youssef Ahmed El Idrissi", "Youssef El Idrissi")]
    [InlineData("Othmane Kadiri", "Osman Al-Qadiri")]
    [InlineData("Elidrissi Ahmad", "احمد الإدريسي")]
    [InlineData("Khadija Cherkaoui", "خديجة الشرقاوي")]
    [InlineData("Hicham Tazi", "Hisham Al-Tazi")]
    [InlineData("Y. El Idrissi", "Youssef El Idrissi")]
    [InlineData("مُحَمَّد", "محمد")]
    [InlineData("محـــمد", "محمد")]
    public void Score_SamePersonAcrossScriptsAndSpellings_IsHigh(string a, string b)
    {
        var score = NameMatcher.Score(a, b);

        Assert.True(score >= Same, $"{a} ~ {b}: {score:F3}");
        Assert.Equal(score, NameMatcher.Score(b, a), 6);
    }

    [Theory]
    [InlineData("Youssef El Idrissi", "Youssef Benali")]
    [InlineData("Youssef El Idrissi", "Khalid El Idrissi")]
    [InlineData("محمد العلمي", "محمد التازي")]
    [InlineData("Omar Cherkaoui", "Maria Cherkaoui")]
    [InlineData("Fatima Zahra Bennani", "Karim Ouazzani")]
    [InlineData("Mohamed El Alami", "Mohamed")]
    public void Score_DifferentPeople_IsLow(string a, string b)
    {
        var score = NameMatcher.Score(a, b);

        Assert.True(score < Different, $"{a} ~ {b}: {score:F3}");
    }

    [Fact]
    public void Explain_SaysWhichPartsMatchedAndHow()
    {
        var explanation = NameMatcher.Explain("Youssef Ahmed El Idrissi", "يوسف الإدريسي");

        Assert.Equal(NameMatcher.Score("Youssef Ahmed El Idrissi", "يوسف الإدريسي"), explanation.Score, 6);
        Assert.Equal(2, explanation.Parts.Count);
        Assert.All(explanation.Parts, p => Assert.Contains("transliteration", p.How, StringComparison.Ordinal));
        Assert.Equal(["ahmed"], explanation.Unmatched);
        Assert.Contains("2 of 2 parts match", explanation.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Al", "Al")]
    [InlineData("el", "El Alami")]
    [InlineData("", "")]
    [InlineData("   ", "Mohamed")]
    [InlineData("12345", "Mohamed")]
    [InlineData("😀😀", "😀😀")]
    [InlineData("\u200F\u200E", "محمد")]
    public void Score_OfDegenerateNames_IsDefinedAndInRange(string a, string b)
    {
        var score = NameMatcher.Score(a, b);

        Assert.InRange(score, 0, 1);
        Assert.False(double.IsNaN(score));
    }

    [Fact]
    public void Score_OfEmptyOrUnreadableName_IsZero()
    {
        Assert.Equal(0, NameMatcher.Score("", "Mohamed"));
        Assert.Equal(0, NameMatcher.Score(null, "Mohamed"));
        Assert.Equal(0, NameMatcher.Score("1234 5678", "Mohamed"));
    }

    [Fact]
    public void Score_CyrillicHomoglyphsInALatinName_AreReadAsLatin()
    {
        var spoofed = "Mоhаmed El Аlami"; // Cyrillic о, а, А

        Assert.True(NameMatcher.Score(spoofed, "Mohamed El Alami") >= 0.99);
    }

    [Fact]
    public void Score_RightToLeftMarksAndMixedScripts_DoNotBreakMatching()
    {
        Assert.True(NameMatcher.Score("\u202Bمحمد العلمي\u202C", "Mohamed El Alami") >= Same);
        Assert.True(NameMatcher.Score("Mohamed العلمي", "محمد El Alami") >= Same);
    }

    [Fact]
    public void Score_OfATenThousandCharacterName_IsBoundedAndFast()
    {
        var huge = string.Concat(Enumerable.Repeat("Mohamed ", 1250));

        var score = NameMatcher.Score(huge, "Mohamed El Alami");

        Assert.InRange(score, 0, 1);
    }

    [Fact]
    public void Parse_FoldsArabicLetterForms()
    {
        var forms = new[] { "أحمد", "إحمد", "آحمد", "احمد", "ٱحمد" };

        Assert.Single(forms.Select(f => NameParser.Parse(f)[0].Spelling).Distinct());
        Assert.Equal(NameParser.Parse("فاطمة")[0].Skeleton, NameParser.Parse("فاطمه")[0].Skeleton);
        Assert.Equal(NameParser.Parse("مصطفى")[0].Spelling, NameParser.Parse("مصطفي")[0].Spelling);
        Assert.Equal(NameParser.Parse("محمد")[0].Skeleton, NameParser.Parse("مُحَمَّدٌ")[0].Skeleton);
        Assert.Equal(NameParser.Parse("كريم")[0].Skeleton, NameParser.Parse("کریم")[0].Skeleton); // Persian kaf and yeh
        Assert.Equal(NameParser.Parse("عائشة")[0].Skeleton, NameParser.Parse("عائشہ")[0].Skeleton); // Urdu heh goal
        Assert.Empty(NameParser.Parse("١٢٣٤"));
    }

    [Fact]
    public void Parse_FoldsLatinCaseAccentsApostrophesAndHyphens()
    {
        Assert.Equal(NameParser.Parse("Aït-Ali")[0].Spelling, NameParser.Parse("AIT ALI")[0].Spelling);
        Assert.Equal(NameParser.Parse("M'hamed")[0].Skeleton, NameParser.Parse("Mhamed")[0].Skeleton);
        Assert.Equal(NameParser.Parse("Chérif")[0].Spelling, NameParser.Parse("CHERIF")[0].Spelling);
    }

    [Theory]
    [InlineData("Abdellatif", "abd·latif")]
    [InlineData("Abdul Latif", "abd·latif")]
    [InlineData("Abd al-Latif", "abd·latif")]
    [InlineData("Abderrahim", "abd·rahim")]
    [InlineData("Ben Ali", "ben·ali")]
    [InlineData("Bou Zid", "bou·zid")]
    public void Parse_JoinsCompoundsAndParticles(string name, string expected)
    {
        Assert.Equal(expected, Assert.Single(NameParser.Parse(name)).Original);
    }
}
