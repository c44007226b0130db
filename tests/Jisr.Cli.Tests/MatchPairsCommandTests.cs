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
}
