using System.Text.Json.Nodes;
using Jisr.Exchange.Stix.Validation;

namespace Jisr.Exchange.Tests;

/// <summary>The OASIS pattern validator's cases and the specification's examples: every valid pattern passes, every invalid one is refused.</summary>
public sealed class StixPatternTests
{
    private static readonly string Folder = Path.Combine(StixTestData.Root, "stix", "patterns");

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "stix2-patterns-v21-cases.json")))!["cases"]!.AsArray())
        {
            data.Add(c!["pattern"]!.GetValue<string>(), c["valid"]!.GetValue<bool>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pattern_IsJudgedAsTheReferenceValidatorJudgesIt(string pattern, bool valid)
    {
        var why = StixPattern.Check(pattern);

        Assert.True(valid == (why is null), valid ? $"refused: {why}" : "accepted");
    }

    [Fact]
    public void SpecificationExamples_AreValid()
    {
        foreach (var pattern in File.ReadLines(Path.Combine(Folder, "spec_examples_v21.txt")).Where(l => l.Trim().Length > 0))
        {
            Assert.True(StixPattern.Check(pattern) is null, $"{pattern}: {StixPattern.Check(pattern)}");
        }
    }

    [Theory]
    [InlineData("[email-addr:value = 'a.b@example.org']", "email-addr", "value", "a.b@example.org")]
    [InlineData("[x-jisr-phone:number = '+212 6 12 34 56 78']", "x-jisr-phone", "number", "+212 6 12 34 56 78")]
    [InlineData("[domain-name:value = 'it\\'s.example']", "domain-name", "value", "it's.example")]
    public void SimpleEquality_ReadsTypePathAndValue(string pattern, string type, string path, string value) =>
        Assert.Equal((type, path, value), StixPattern.SimpleEquality(pattern));

    [Fact]
    public void SimpleEquality_IsNullForAnythingElse() =>
        Assert.Null(StixPattern.SimpleEquality("[email-addr:value = 'a@b.c' OR email-addr:value = 'd@e.f']"));
}
