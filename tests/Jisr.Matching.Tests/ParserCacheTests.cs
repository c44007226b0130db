using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

/// <summary>
/// The parser keeps what it learns of each word and each joined part in caches shared by all threads, and folds ASCII
/// text without normalising it: a name must parse to the same parts whichever thread parses it, how often, after which
/// other names, and whether its text took the ASCII path or the normalising one.
/// </summary>
public sealed class ParserCacheTests
{
    private static readonly string[] Names =
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "scores-reference.tsv")).Skip(1)
            .SelectMany(l => l.Split('\t').Take(2)).Distinct(StringComparer.Ordinal)];

    [Fact]
    public void Parse_GivesTheSameParts_OnEveryThreadAndEveryCall()
    {
        Assert.True(Names.Length > 5_000, $"{Names.Length} names");
        var first = Names.Select(n => NameParser.Parse(n).ToArray()).ToArray();

        // Eight threads, each in its own order, parse every name again while the others fill the same caches.
        var differ = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            var order = Enumerable.Range(0, Names.Length).OrderBy(i => (i * 7919L * (thread + 1)) % 104_729).ToArray();
            foreach (var i in order)
            {
                if (!NameParser.Parse(Names[i]).SequenceEqual(first[i]))
                {
                    Interlocked.Increment(ref differ);
                }
            }
        });

        Assert.Equal(0, differ);
    }

    [Theory]
    [InlineData("Omar El Idrissi", "Omar\u00A0El\u2003Idrissi")] // no-break and em spaces fold to spaces
    [InlineData("Abdellatif Ben Ali", "Abdellatif Ben \uFF21li")] // a full-width A decomposes to A
    [InlineData("Nasiruddin Haqqani", "Nas\u0069\u0301ruddin Haqqani")] // a combining accent goes
    [InlineData("Mohamed Ould Slahi", "Mohamed Ould Slahi\u200D")] // a zero-width joiner goes
    public void AsciiText_ParsesAsItsNormalisedEquivalent(string ascii, string other)
    {
        var plain = NameParser.Parse(ascii);
        Assert.NotEmpty(plain);
        Assert.Equal(plain, NameParser.Parse(other));
        Assert.Equal(NameMatcher.Score(ascii, "Idrissi Omar"), NameMatcher.Score(other, "Idrissi Omar"));
    }

    [Fact]
    public void ParsedTokens_ExplainAsTheirTexts()
    {
        foreach (var (a, b) in Names.Zip(Names.Skip(1)).Where((_, i) => i % 11 == 0))
        {
            var byText = NameMatcher.Explain(a, b);
            var byTokens = NameMatcher.Explain(NameParser.Parse(a), NameParser.Parse(b));
            Assert.Equal(byText.Score, byTokens.Score);
            Assert.Equal(byText.Summary, byTokens.Summary);
            Assert.Equal(byText.Parts, byTokens.Parts);
        }
    }
}
