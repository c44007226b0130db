using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;
using Jisr.Matching.Names;

namespace Jisr.Fusion.Tests;

/// <summary>
/// The cross-reference's name gate is the product's one decision threshold (<see cref="NameMatcher.MatchThreshold"/>),
/// not a number of its own: two records whose names the matcher does not call a match are never proposed unless they
/// share an identifier, and those whose names it does call a match are, when everything else agrees.
/// </summary>
public sealed class NameGateTests
{
    /// <summary>
    /// Names on both sides of the threshold, from a few thousandths to a few hundredths of it (the matcher's scores
    /// today), each pair one the name blocks put together: a gate 0.005 lower or 0.011 higher changes an answer here.
    /// </summary>
    public static TheoryData<string, string> NearTheThreshold => new()
    {
        { "توفيقُ مروان الصديقي", "TAOUFIK MARWANE AMROUCHE" },     // 0.735
        { "مريم اسامه بن يوسف", "Meriam Usama Al-Musawi" },         // 0.732
        { "BOUCAR Souad Rachide", "souaad rachid musawi" },         // 0.726
        { "Hamide Bouzeid", "khaleed nagib bouzaid" },              // 0.717
        { "Yassin Adil Tunsi", "Hasan Tounsi" },                    // 0.750
        { "Wafaa Hadjoui", "Ouafae El Hajoui" },                    // 0.762
        { "Jaouad Umar Helwi", "jawwad hlaoui" },                   // 0.770
    };

    [Theory]
    [MemberData(nameof(NearTheThreshold))]
    public void With_every_other_fact_agreeing_a_pair_is_proposed_exactly_when_its_names_are_a_match(string nameA, string nameB)
    {
        // Same full date of birth, nationality and gender: the facts alone carry the pair far above the proposal
        // threshold (the evidence-only score below says so), so the name gate alone decides.
        var a = Person("a1", "MA-DGST", nameA);
        var b = Person("b1", "FR-DGSI", nameB);
        var nameScore = NameMatcher.Score(nameA, nameB);
        Assert.InRange(nameScore, NameMatcher.MatchThreshold - 0.04, NameMatcher.MatchThreshold + 0.03); // near the threshold, or the case says nothing
        Assert.True(EntityResolver.Score(a, b).Score >= new ResolutionOptions().Threshold, $"{nameA} / {nameB}: the facts alone would not propose the pair");

        var proposed = EntityResolver.CrossReference([a], [b]).Any(p => p.A == "a1" && p.B == "b1");
        Assert.True(NameMatcher.IsMatch(nameScore) == proposed, $"{nameA} / {nameB}: name score {nameScore:F4}, threshold {NameMatcher.MatchThreshold}, proposed {proposed}");
    }

    [Fact]
    public void The_cases_straddle_the_threshold()
    {
        var scores = NearTheThreshold.Select(row => NameMatcher.Score((string)row[0], (string)row[1])).ToList();
        Assert.Contains(scores, s => s >= NameMatcher.MatchThreshold - 0.01 && !NameMatcher.IsMatch(s)); // a gate 0.01 lower lets one through
        Assert.Contains(scores, s => NameMatcher.IsMatch(s) && s < NameMatcher.MatchThreshold + 0.015);  // a gate 0.015 higher drops one
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void No_proposal_without_a_shared_identifier_has_names_below_the_threshold(int seed)
    {
        var world = SyntheticWorld.Generate(new WorldOptions { Persons = 1500, Seed = seed });
        var records = world.Records;
        var own = records[0].Agency;
        var byId = records.ToDictionary(r => r.Id);
        var proposals = EntityResolver.Resolve(records, world.Links)
            .Concat(EntityResolver.CrossReference([.. records.Where(r => r.Agency == own)], [.. records.Where(r => r.Agency != own)], world.Links, null, new ResolutionOptions { Threshold = 0.2 }))
            .ToList();

        var byNameOnly = proposals.Where(p => !SharesIdentifier(byId[p.A], byId[p.B])).ToList();
        Assert.True(byNameOnly.Count > 500, $"{byNameOnly.Count} proposals by name: too few to say anything");
        Assert.All(byNameOnly, p => Assert.True(NameMatcher.IsMatch(BestNameScore(byId[p.A], byId[p.B])), $"{p.A} / {p.B}: {p.Explanation}"));
    }

    private static PersonRecord Person(string id, string agency, string name) =>
        new(id, agency, [name], PartialDate.Parse("1984-03-17"), ["MA"], [], Gender.Male);

    private static bool SharesIdentifier(PersonRecord a, PersonRecord b) =>
        a.Identifiers.Select(i => i.Key).OfType<string>().Intersect(b.Identifiers.Select(i => i.Key).OfType<string>()).Any();

    private static double BestNameScore(PersonRecord a, PersonRecord b) =>
        a.Names.SelectMany(x => b.Names.Select(y => NameMatcher.Score(x, y))).DefaultIfEmpty(0).Max();
}
