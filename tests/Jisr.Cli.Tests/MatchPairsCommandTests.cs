using System.Globalization;

namespace Jisr.Cli.Tests;

public sealed class MatchPairsCommandTests
{
    [Fact]
    public async Task MatchPairs_SkipsTheHeader_AndWritesOneScorePerPairInOrder()
    {
        const string input = "name_a\tname_b\tlabel\tkind\n" +
                             "محمد بن أحمد العلمي\tMOHAMED EL ALAMI\t1\tar-lat same\n" +
                             "Youssef El Idrissi\tKhalid Tazi\t0\tlat-lat unrelated\n" +
                             "Hammouchi\tحموشي\n";

        var result = await Jisr.RunWithInputAsync(input, "match", "pairs");

        Assert.Equal(0, result.ExitCode);
        var scores = result.OutputLines.Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, scores.Count);
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.True(scores[0] > 0.8);
        Assert.True(scores[1] < 0.3);
        Assert.True(scores[2] > 0.8);
    }

    [Fact]
    public async Task MatchPairs_WithDecide_WritesTheScoreAndTheOneDecision()
    {
        const string input = "name_a\tname_b\n" +
                             "محمد بن أحمد العلمي\tMOHAMED EL ALAMI\n" +
                             "Youssef El Idrissi\tKhalid Tazi\n" +
                             "Mohamed El Alami\tMohamed\n" +
                             "only-one-column\n";

        var decided = await Jisr.RunWithInputAsync(input, "match", "pairs", "--decide");
        var plain = await Jisr.RunWithInputAsync(input, "match", "pairs");

        Assert.Equal(0, decided.ExitCode);
        var lines = decided.OutputLines.Select(l => l.Split('\t')).ToList();
        Assert.Equal(4, lines.Count);
        Assert.All(lines, l => Assert.Equal(2, l.Length));
        Assert.Equal(["match", "no-match", "no-match", "no-match"], lines.Select(l => l[1]));
        Assert.All(lines, l => Assert.Equal(double.Parse(l[0], CultureInfo.InvariantCulture) >= global::Jisr.Matching.Names.NameMatcher.MatchThreshold ? "match" : "no-match", l[1]));

        // Without the flag the output is the score alone, as before.
        Assert.Equal(lines.Select(l => l[0]), plain.OutputLines);
    }
}
