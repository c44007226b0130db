using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;

namespace Jisr.Fusion.Tests;

/// <summary>
/// The checks that turn candidates away before they are scored read less than the score (flat facts, a 12-byte
/// screen with folded masks, identifiers left unread when they cannot add): each must give a log-odds no lower than
/// the exact one, or a true match would be dropped unseen. Checked on every pair of records of one person (typos,
/// other scripts, changed numbers) and on random pairs, over worlds with links.
/// </summary>
public sealed class CandidateBoundTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(41)]
    public void No_first_check_is_below_the_exact_log_odds(int seed)
    {
        var world = SyntheticWorld.Generate(new WorldOptions { Persons = 1200, Seed = seed });
        var records = world.Records;
        var random = new Random(seed);
        var samePerson = records.Select((r, i) => (Truth: world.TruthOfRecord[SyntheticWorld.RecordIndex(r.Id)], Index: i))
            .GroupBy(x => x.Truth)
            .SelectMany(g => g.SelectMany(x => g.Where(y => y.Index != x.Index).Select(y => (x.Index, y.Index))))
            .ToList();
        var pairs = samePerson.Concat(Enumerable.Range(0, 30_000).Select(_ => (random.Next(records.Count), random.Next(records.Count)))).ToList();

        var checkedPairs = 0;
        var screenedOut = 0;
        foreach (var (screen, upper, pruning, exact) in EntityResolver.CandidateBounds(records, world.Links, pairs))
        {
            Assert.True(screen >= upper, $"screen {screen} below the upper bound {upper}");
            Assert.True(upper >= exact, $"upper bound {upper} below the exact {exact}");
            Assert.True(pruning >= exact, $"pruning log-odds {pruning} below the exact {exact}");
            checkedPairs++;
            screenedOut += screen + 1.0 < 0 ? 1 : 0; // turned away at a cut of 0 (names weigh at most +1 more)
        }

        Assert.True(samePerson.Count > 1_000, $"{samePerson.Count} pairs of one person");
        Assert.Equal(pairs.Count, checkedPairs);
        Assert.True(screenedOut > pairs.Count / 4, $"the screen turned away only {screenedOut} of {pairs.Count} pairs at a cut of 0: a bound this loose tests nothing");
    }
}
