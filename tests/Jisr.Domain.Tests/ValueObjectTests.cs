using System.Text;
using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;

namespace Jisr.Domain.Tests;

public sealed class ValueObjectTests
{
    [Theory]
    [InlineData("SECRET", "AMBER+STRICT", "H2", Classification.Secret, Tlp.AmberStrict, HandlingCode.H2)]
    [InlineData("unclassified", "clear", "h0", Classification.Unclassified, Tlp.Clear, HandlingCode.H0)]
    public void MarkingParse_WhenNamesAreKnown_ReadsThemCaseInsensitively(string c, string t, string h, Classification classification, Tlp tlp, HandlingCode handling)
    {
        var marking = Marking.Parse(c, t, h);

        Assert.Equal((classification, tlp, handling), (marking.Classification, marking.Tlp, marking.Handling));
    }

    [Theory]
    [InlineData("TOP-SECRET", "AMBER", "H0", null, "classification")]
    [InlineData("SECRET", "PURPLE", "H0", null, "tlp")]
    [InlineData("SECRET", "AMBER", "H4", null, "handling")]
    [InlineData("SECRET", "AMBER", "H3", null, "handlingNote")]
    [InlineData("SECRET", "AMBER", "H1", "a note", "handlingNote")]
    [InlineData(null, "AMBER", "H1", null, "classification")]
    public void MarkingParse_WhenInvalid_NamesTheField(string? c, string? t, string? h, string? note, string field)
    {
        var error = Assert.Throws<DomainValidationException>(() => Marking.Parse(c, t, h, note));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void MarkingParse_UnknownValue_ListsTheKnownOnes()
    {
        var error = Assert.Throws<DomainValidationException>(() => Marking.Parse("SECRET", "PURPLE", "H0"));

        Assert.Contains("AMBER+STRICT", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classification_OrderGoesFromUnclassifiedToSecret()
    {
        Assert.True(Classification.Unclassified < Classification.Restricted);
        Assert.True(Classification.Restricted < Classification.Confidential);
        Assert.True(Classification.Confidential < Classification.Secret);
    }

    [Theory]
    [InlineData("A1")]
    [InlineData("b2")]
    [InlineData("F6")]
    public void SourceGradingParse_WhenValid_RoundTrips(string code)
    {
        Assert.Equal(code.ToUpperInvariant(), SourceGrading.Parse(code).ToString());
    }

    [Theory]
    [InlineData("G1")]
    [InlineData("A7")]
    [InlineData("A0")]
    [InlineData("B")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("2B")]
    [InlineData("B22")]
    public void SourceGradingParse_WhenInvalid_Throws(string? code)
    {
        Assert.Equal("sourceGrading", Assert.Throws<DomainValidationException>(() => SourceGrading.Parse(code)).Field);
    }

    [Theory]
    [InlineData("1985")]
    [InlineData("1985-03")]
    [InlineData("1985-03-12")]
    [InlineData("2024-02-29")]
    public void PartialDateParse_WhenValid_RoundTrips(string text)
    {
        Assert.Equal(text, PartialDate.Parse(text).ToString());
    }

    [Theory]
    [InlineData("2023-02-29")]
    [InlineData("1985-13")]
    [InlineData("1985-3")]
    [InlineData("85")]
    [InlineData("1985/03/12")]
    [InlineData("1700")]
    [InlineData("1985-03-")]
    [InlineData("١٩٨٥")]
    public void PartialDateParse_WhenInvalid_Throws(string text)
    {
        Assert.Throws<DomainValidationException>(() => PartialDate.Parse(text, "dateOfBirth"));
    }

    [Fact]
    public void PartialDate_EarliestIsTheFirstDayItCanMean()
    {
        Assert.Equal(new DateOnly(1985, 1, 1), PartialDate.Parse("1985").Earliest);
        Assert.Equal(new DateOnly(1985, 3, 1), PartialDate.Parse("1985-03").Earliest);
    }

    [Theory]
    [InlineData(" ma-dgsn ", "MA-DGSN")]
    [InlineData("INT-IPSG", "INT-IPSG")]
    public void AgencyCreate_NormalisesTheCode(string code, string expected)
    {
        Assert.Equal(expected, Agency.Create(code, "Agency", "MA", DateTimeOffset.UtcNow).Code);
    }

    [Theory]
    [InlineData("A", "code")]
    [InlineData("MA DGSN", "code")]
    [InlineData("-MA", "code")]
    [InlineData("MA-'; DROP", "code")]
    public void AgencyCreate_WhenCodeIsInvalid_Throws(string code, string field)
    {
        Assert.Equal(field, Assert.Throws<DomainValidationException>(() => Agency.Create(code, "Agency", "MA", DateTimeOffset.UtcNow)).Field);
    }

    [Theory]
    [InlineData("Morocco")]
    [InlineData("M")]
    [InlineData("12")]
    public void AgencyCreate_WhenCountryIsNotIso_Throws(string country)
    {
        Assert.Equal("country", Assert.Throws<DomainValidationException>(() => Agency.Create("MA-X", "Agency", country, DateTimeOffset.UtcNow)).Field);
    }

    [Fact]
    public void GuardText_StoresNfc_AndRejectsBrokenUnicodeAndControls()
    {
        var decomposed = "Fe\u0301s"; // é as e + combining acute
        Assert.Equal("F\u00e9s", Guard.Text(decomposed, "name", 10));
        Assert.Throws<DomainValidationException>(() => Guard.Text("ab\uD800cd", "name", 10));
        Assert.Throws<DomainValidationException>(() => Guard.Text("ab\u0007cd", "name", 10));
        Assert.Throws<DomainValidationException>(() => Guard.Text(new string('x', 11), "name", 10));
        Assert.Throws<DomainValidationException>(() => Guard.Text(new string('x', 10_000_000), "name", 300));
        Assert.Equal("line\nbreak", Guard.Text("line\nbreak", "body", 100));
    }

    [Fact]
    public void Instants_AreUtcToTheMicrosecond()
    {
        var value = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)).AddTicks(1234567);

        var normalized = Instants.Normalize(value);

        Assert.Equal(TimeSpan.Zero, normalized.Offset);
        Assert.Equal(0, normalized.UtcTicks % 10);
        Assert.Equal(value.UtcTicks - 7, normalized.UtcTicks);
    }

    [Fact]
    public void DomainValidationException_Under_PrefixesTheField()
    {
        var error = DomainValidationException.Coded("names[0]", ValidationCodes.Required, "is required").Under("entities[2]");

        Assert.Equal("entities[2].names[0]", error.Field);
        Assert.Equal("is required", error.Reason);
        Assert.Equal(ValidationCodes.Required, error.Code);
        Assert.Equal(Encoding.UTF8.GetBytes("entities[2].names[0]: is required"), Encoding.UTF8.GetBytes(error.Message));
    }
}
