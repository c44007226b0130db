using System.Text.Json.Nodes;
using Jisr.Exchange.Stix.Validation;

namespace Jisr.Exchange.Tests;

/// <summary>
/// The compiled schemas build a pattern's regex the first time an object needs it, so a pattern the linear-time engine
/// cannot run (a lookaround, a backreference) would fail an import only when an object of that type arrives. Every
/// pattern of the embedded OASIS schemas is built here instead, and the id prefixes tested without a regex agree with one.
/// </summary>
public sealed class SchemaPatternTests
{
    public static TheoryData<string> Patterns() => [.. AllPatterns()];

    private static SortedSet<string> AllPatterns()
    {
        var patterns = new SortedSet<string>(StringComparer.Ordinal);
        var assembly = typeof(StixSchemaSet).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("stix-schemas/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            Collect(JsonNode.Parse(stream), patterns);
        }

        return patterns;
    }

    [Fact]
    public void TheSchemasHavePatterns_BothIdPrefixesAndRegexes() =>
        Assert.True(AllPatterns() is { Count: >= 60 } all && all.Count(p => p.EndsWith("--", StringComparison.Ordinal)) >= 20, $"{AllPatterns().Count} patterns");

    [Theory]
    [MemberData(nameof(Patterns))]
    public void EveryPattern_Builds_AndAnIdPrefixMatchesAsTheRegexDoes(string pattern)
    {
        var compiled = CompiledSchema.PatternOf(pattern);
        var regex = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        var samples = new[] { "", "software--", "software--x", "Software--x", "xsoftware--", "identity--311b2d2d-f010-4473-83ec-1edf84858f4c", "attack-pattern--1", "x_custom", pattern.TrimStart('^') };
        Assert.All(samples, sample => Assert.Equal(regex.IsMatch(sample), compiled.IsMatch(sample)));
    }

    private static void Collect(JsonNode? node, SortedSet<string> patterns)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "pattern" && value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        patterns.Add(text);
                    }
                    else if (key == "patternProperties" && value is JsonObject properties)
                    {
                        patterns.UnionWith(properties.Select(p => p.Key));
                    }

                    Collect(value, patterns);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Collect(item, patterns);
                }

                break;
        }
    }
}
