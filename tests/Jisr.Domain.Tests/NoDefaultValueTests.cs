using System.Text.Json;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;

namespace Jisr.Domain.Tests;

/// <summary>
/// A source grading, a partial date or a marking that nobody set is null, never a value that looks real: it cannot
/// be stored in a record, written as JSON or read from JSON, or compared equal to a real one.
/// </summary>
public sealed class NoDefaultValueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static RecordContent Content(Marking marking, SourceGrading grading) =>
        RecordContent.Create(
            RecordKind.FieldReport, "Titre", "", "fr", "Loi 03-03", "Prévention", Now.AddYears(1), new DateOnly(2027, 1, 1), marking, grading, [ThreatDomain.Cybercrime]);

    [Fact]
    public void Defaults_AreNull_NotValuesThatLookReal()
    {
        Assert.Null(default(SourceGrading));
        Assert.Null(default(PartialDate));
        Assert.Null(default(Marking));
    }

    [Fact]
    public void RecordContent_WithoutASourceGrading_IsRefused()
    {
        var error = Assert.Throws<DomainValidationException>(() => Content(Marking.Create(Classification.Restricted, Tlp.Green, HandlingCode.H0), default!));

        Assert.Equal("sourceGrading", error.Field);
    }

    [Fact]
    public void RecordContent_WithoutAMarking_IsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => Content(default!, SourceGrading.Parse("B2")));
    }

    [Fact]
    public void MissingValues_NeverCompareEqualToRealOnes()
    {
        Assert.NotEqual(default, SourceGrading.Parse("A1"));
        Assert.NotEqual(default, PartialDate.Parse("1800"));
        Assert.NotEqual(default, Marking.Create(Classification.Unclassified, Tlp.Clear, HandlingCode.H0));
        Assert.Equal(SourceGrading.Parse("b2"), SourceGrading.Create('B', 2));
        Assert.Same(SourceGrading.Parse("b2"), SourceGrading.Create('B', 2));
    }

    [Theory]
    [InlineData("E5")]
    [InlineData("1985-03")]
    public void Json_WritesTheWireText_AndReadsItBack(string text)
    {
        object value = char.IsAsciiLetter(text[0]) ? SourceGrading.Parse(text) : PartialDate.Parse(text);

        var json = JsonSerializer.Serialize(value, value.GetType());

        Assert.Equal($"\"{text}\"", json);
        Assert.Equal(value, JsonSerializer.Deserialize(json, value.GetType()));
    }

    [Fact]
    public void Json_OfAMissingValue_IsNull()
    {
        Assert.Equal("null", JsonSerializer.Serialize(default(SourceGrading)));
        Assert.Equal("null", JsonSerializer.Serialize(default(PartialDate)));
        Assert.Null(JsonSerializer.Deserialize<SourceGrading>("null"));
    }

    [Theory]
    [InlineData("{}", "sourceGrading")]
    [InlineData("{\"Reliability\":\"\\u0000\",\"Credibility\":0}", "sourceGrading")]
    [InlineData("\"G7\"", "sourceGrading")]
    [InlineData("\"\"", "sourceGrading")]
    [InlineData("12", "sourceGrading")]
    public void Json_ThatIsNoValidGrade_IsRefused(string json, string field)
    {
        Assert.Equal(field, Assert.Throws<DomainValidationException>(() => JsonSerializer.Deserialize<SourceGrading>(json)).Field);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"Year\":0}")]
    [InlineData("\"0000\"")]
    [InlineData("\"1985-13\"")]
    public void Json_ThatIsNoValidPartialDate_IsRefused(string json)
    {
        Assert.Equal("partialDate", Assert.Throws<DomainValidationException>(() => JsonSerializer.Deserialize<PartialDate>(json)).Field);
    }
}
