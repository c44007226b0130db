using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>What real lists contain: titles, Persian and Pashto letters, partial names weighed by frequency, patronymic chains, kunyas.</summary>
public sealed class NameFormTests
{
    private const double T = NameMatcher.MatchThreshold;

    [Theory]
    [InlineData("Dr. Hamed Abdullah Al-Ali", "حامد عبد الله العلي")]
    [InlineData("Haji Khairullah Khairkhwah", "خيرالله خيرخواه")]
    [InlineData("Mullah Mohammad Omar", "ملا محمد عمر")]
    [InlineData("Maulavi Abdul Kabir", "مولوي عبد الكبير")]
    [InlineData("Shaykh Abd al-Majid al-Zindani", "الشيخ عبد المجيد الزنداني")]
    [InlineData("Qari Din Mohammad Hanif", "DIN MOHAMMAD HANIF")]
    [InlineData("Général Ali Hassan al-Majid", "Colonel Ali Hassan Majid")]
    [InlineData("الحاج عبد الستار", "Abdul Sattar")]
    public void Titles_InEitherScript_DoNotCountAsNameParts(string a, string b)
    {
        Assert.True(NameMatcher.Score(a, b) >= T, $"{a} ~ {b}: {NameMatcher.Score(a, b):F3}");
        Assert.DoesNotContain(NameParser.Parse(a).Concat(NameParser.Parse(b)), t => t.Original is "dr" or "haji" or "mullah" or "ملا" or "الحاج" or "مولوي" or "الشيخ" or "qari" or "general" or "colonel");
    }

    [Fact]
    public void OnlyTitles_StillGiveAName()
    {
        Assert.NotEmpty(NameParser.Parse("Mullah"));
        Assert.InRange(NameMatcher.Score("Dr. Haji", "Mullah Qari"), 0, 1);
    }

    [Theory]
    [InlineData("گل آغا", "Gul Agha")]
    [InlineData("حمید الله آخوند", "Hamidullah Akhund")]
    [InlineData("اچکزی", "Achekzai")]
    [InlineData("ولی جان", "WALIJAN")]
    [InlineData("مطیع الرحمن", "Mati-ur Rehman")]
    [InlineData("Mati-ur Rahman", "Mati ur Rehman")]
    [InlineData("AHMED JAN AKHUNDZADA", "Ahmed Jan Akhund Zada")]
    [InlineData("FAIZULLAH KHAN NOORZAI", "Faizullah Noorzai")]
    [InlineData("Hidayatullah", "Hedayatollah")]
    [InlineData("احمد ضیا", "Ahmad Zia")]
    [InlineData("ټپه ګل", "Tapa Gul")]
    public void PersianPashtoAndUrduLettersAndRomanisations_Match(string a, string b)
    {
        Assert.True(NameMatcher.Score(a, b) >= T, $"{a} ~ {b}: {NameMatcher.Score(a, b):F3}");
    }

    [Fact]
    public void PersianAndPashtoLetters_FoldToTheirArabicSkeletons()
    {
        Assert.Equal(NameParser.Parse("Gul")[0].Skeleton, NameParser.Parse("گل")[0].Skeleton);
        Assert.Equal(NameParser.Parse("ګل")[0].Skeleton, NameParser.Parse("گل")[0].Skeleton); // Pashto gaf
        Assert.Equal(NameParser.Parse("پاچا")[0].Skeleton, NameParser.Parse("Pacha")[0].Skeleton);
        Assert.Equal(NameParser.Parse("ږ")[0].Spelling, NameParser.Parse("ز")[0].Spelling);
    }

    [Fact]
    public void PartialNames_RareSharedPartsScoreHigh_CommonSharedPartsLow()
    {
        // A two-part alias inside a five-part full name.
        Assert.True(NameMatcher.Score("Jalaluddin Haqqani", "Maulavi Jalaluddin Haqqani Saraj Khalifa") >= T);
        Assert.True(NameMatcher.Score("Hamidullah Akhund", "حمید الله آخوند شیر محمد") >= T);

        // Sharing only a very common part.
        Assert.True(NameMatcher.Score("Mohammed Haqqani", "Mohammed Zahid Ahmadzai") < T);
        Assert.True(NameMatcher.Score("Abdul Rahman", "Abdul Satar Haqqani") < T);
        Assert.True(NameMatcher.Score("Mohammed", "Mohammed Ibrahim Zindani") < NameMatcher.Score("Zindani", "Mohammed Ibrahim Zindani"));
    }

    [Fact]
    public void Weights_AreLearntFromFrequencies_CommonGivenNamesWeighLessThanRareFamilyNames()
    {
        double Weight(string name) => Assert.Single(NameParser.Parse(name)).Weight;

        Assert.True(Weight("Mohammed") < 0.5);
        Assert.True(Weight("Ali") < 0.5);
        Assert.Equal(Weight("Mohammed"), Weight("محمد"));
        Assert.Equal(1, Weight("Bouzid"));
        Assert.Equal(1, Weight("Haqqani"));
        Assert.True(Weight("Ahmed") < Weight("Rahman"));
    }

    [Fact]
    public void ShippedWeights_AreExactlyWhatTheLearnerMakesFromTheTokenFile()
    {
        using var counts = new StreamReader(Path.Combine(AppContext.BaseDirectory, "data", "wikidata_name_tokens_top3000.tsv"));
        using var learnt = new StringWriter();
        NameFrequencies.Write(NameFrequencies.Learn(counts), learnt);

        using var shipped = typeof(NameFrequencies).Assembly.GetManifestResourceStream("Jisr.Matching.Names.name-weights.tsv");
        Assert.NotNull(shipped);
        Assert.Equal(learnt.ToString(), new StreamReader(shipped).ReadToEnd());
        Assert.True(learnt.ToString().Length < 32_000, "the resource stays compact");
    }

    [Theory]
    [InlineData("Adel ben al-Azhar ben Youssef ben Soltane", "عادل بن الأزهر بن يوسف حمدي")]
    [InlineData("Mohamed ben Ahmed ben Salah", "Mohamed ben Salah")]
    [InlineData("Sidi Mohamed ould Ahmed ould Brahim", "Sidi Mohamed ould Brahim")]
    [InlineData("Ahmed bin Ali bin Saleh Al-Harbi", "أحمد بن علي الحربي")]
    public void PatronymicChains_ThatDropOrAddAGeneration_StillMatch(string a, string b)
    {
        Assert.True(NameMatcher.Score(a, b) >= T, $"{a} ~ {b}: {NameMatcher.Score(a, b):F3}");
    }

    [Fact]
    public void Kunya_IsANameFormOfItsOwn()
    {
        var parsed = NameParser.Parse("Abu Muhammad Al-Jalahmah");
        var kunya = NameParser.Parse("أبو محمد الجلاهمة");

        Assert.Equal(NamePartKind.Kunya, parsed[0].Kind);
        Assert.Equal(NamePartKind.Kunya, kunya[0].Kind);
        Assert.Equal(NamePartKind.Kunya, NameParser.Parse("Abou Hafs")[0].Kind);

        // An alias that adds a kunya to the family name still matches; a kunya never stands in for a given name.
        Assert.True(NameMatcher.Score("Abu Muhammad Al-Jalahmah", "JABER AL-JALAHMAH") >= T);
        Assert.True(NameMatcher.Score("Yahia Abou Ammar Djouadi", "YAHIA DJOUADI") >= T);
        Assert.True(NameMatcher.Score("Abu Muhammad", "Muhammad") < T);
    }
}
