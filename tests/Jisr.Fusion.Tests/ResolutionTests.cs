using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Fusion.Identifiers;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;
using Xunit.Abstractions;

namespace Jisr.Fusion.Tests;

public class ResolutionTests(ITestOutputHelper output)
{
    private static readonly Lazy<SyntheticWorld> DefaultWorld = new(() => SyntheticWorld.Generate());

    private static readonly Lazy<IReadOnlyList<MatchProposal>> DefaultProposals =
        new(() => EntityResolver.Resolve(DefaultWorld.Value.Records, DefaultWorld.Value.Links));

    [Fact]
    public void The_default_world_resolves_with_pairwise_precision_at_least_98_and_recall_at_least_95_percent()
    {
        var world = DefaultWorld.Value;
        var truth = world.TruePairs();
        var resolved = new HashSet<(int, int)>();
        foreach (var person in EntityResolver.Group(world.Records, DefaultProposals.Value, world.Links))
        {
            var members = person.Select(SyntheticWorld.RecordIndex).Order().ToArray();
            for (var i = 0; i < members.Length; i++)
            {
                for (var j = i + 1; j < members.Length; j++)
                {
                    resolved.Add((members[i], members[j]));
                }
            }
        }

        var right = resolved.Count(truth.Contains);
        var precision = (double)right / resolved.Count;
        var recall = (double)right / truth.Count;
        output.WriteLine($"records {world.Records.Count}, true pairs {truth.Count}, resolved pairs {resolved.Count}, precision {precision:F4}, recall {recall:F4}");
        Assert.True(truth.Count > 2000, "the default world must hold enough pairs to measure");
        Assert.True(precision >= 0.98, $"precision {precision:F4}");
        Assert.True(recall >= 0.95, $"recall {recall:F4}");
    }

    [Fact]
    public void Every_proposal_has_a_score_and_an_explanation_that_adds_up_to_it()
    {
        Assert.NotEmpty(DefaultProposals.Value);
        foreach (var p in DefaultProposals.Value)
        {
            Assert.InRange(p.Score, 0.5, 1.0);
            Assert.Contains(p.Evidence, e => e.Kind == "name");
            var logit = p.Evidence.Sum(e => e.Weight);
            Assert.True(Math.Abs((1 / (1 + Math.Exp(-logit))) - p.Score) < 1e-3, p.Explanation);
            Assert.False(string.IsNullOrWhiteSpace(p.Explanation));
        }
    }

    [Fact]
    public void The_generator_is_deterministic_for_a_seed_and_differs_across_seeds()
    {
        var a = SyntheticWorld.Generate(new WorldOptions { Seed = 7, Persons = 300 });
        var b = SyntheticWorld.Generate(new WorldOptions { Seed = 7, Persons = 300 });
        var c = SyntheticWorld.Generate(new WorldOptions { Seed = 8, Persons = 300 });
        static string Dump(SyntheticWorld w) => string.Join("\n", w.Records.Select(r =>
            $"{r.Id}|{r.Agency}|{string.Join("/", r.Names)}|{r.DateOfBirth}|{string.Join(",", r.Identifiers.Select(i => i.Written))}"))
            + string.Join(";", w.Links.Select(l => $"{l.From}-{l.To}"));
        Assert.Equal(Dump(a), Dump(b));
        Assert.NotEqual(Dump(a), Dump(c));
    }

    [Fact]
    public void The_default_world_holds_the_hard_cases_it_claims()
    {
        var world = DefaultWorld.Value;
        var records = world.Records;
        Assert.Contains(records, r => r.Names.Any(n => PersonName.DetectScript(n) == NameScript.Arabic));
        Assert.Contains(records, r => r.Identifiers.Any(i => !i.IsValid));
        Assert.Contains(records, r => r.DateOfBirth is { Day: null });

        // Some person has records whose dates of birth disagree, and some records of different people share a name.
        Assert.Contains(records.Select((r, i) => (r, i)).GroupBy(x => world.TruthOfRecord[x.i]), g => g.Select(x => x.r.DateOfBirth).OfType<PartialDate>().Where(d => d.Day is not null).Distinct().Count() > 1);
        Assert.Contains(records.GroupBy(r => r.Names[0]), g => g.Select(r => world.TruthOfRecord[SyntheticWorld.RecordIndex(r.Id)]).Distinct().Count() > 1);
        Assert.Equal(world.Options.Brokers, world.Persons.Count(p => p.IsBroker));
        Assert.Equal(world.Options.Cells, world.Persons.Where(p => p.Cell >= 0).Select(p => p.Cell).Distinct().Count());
    }

    [Fact]
    public void A_shared_passport_joins_names_in_two_scripts_and_says_so()
    {
        var a = Record("a", ["Karim Benali"], "1985-03-12", ("passport", "AB1234567", "MA"));
        var b = Record("b", ["كريم بنعلي"], null, ("passport", "ab 123 4567", "MA"));
        var p = Assert.Single(EntityResolver.Resolve([a, b]));
        Assert.Contains(p.Evidence, e => e.Kind == "identifier" && e.Detail.Contains("passport:MA:AB1234567", StringComparison.Ordinal));
        Assert.True(p.Score > 0.99);
    }

    [Fact]
    public void Conflicting_dates_of_birth_keep_namesakes_apart_and_the_explanation_names_the_conflict()
    {
        var a = Record("a", ["Karim Benali"], "1985-03-12");
        var b = Record("b", ["Karim Ben Ali"], "1962-11-02");
        Assert.Empty(EntityResolver.Resolve([a, b]));
        var scored = EntityResolver.Score(a, b);
        Assert.Contains(scored.Evidence, e => e.Kind == "date-of-birth" && e.Weight < 0 && e.Detail.Contains("conflict", StringComparison.Ordinal));

        // A day and month swapped, or a year slipped by one with the same birthday, still count for one person.
        Assert.True(EntityResolver.Score(a, Record("c", ["Karim Benali"], "1985-12-03")).Score > 0.5);
        Assert.True(EntityResolver.Score(a, Record("d", ["Karim Benali"], "1986-03-12")).Score > 0.5);
    }

    /// <summary>
    /// A confirmed pair's explanation tells how common the name is, as every other proposal's does, and is the same
    /// whether the pair would have been proposed anyway or not: it once said "no other record bears a like name" of a
    /// name borne by five, when the candidate checks turned the pair away before its judgement was read.
    /// </summary>
    [Fact]
    public void A_confirmed_pair_reads_how_common_the_name_is_whichever_checks_it_meets()
    {
        var probe = Record("p", ["Karim Benali"], "1985-03-12");
        List<PersonRecord> targets = [.. Enumerable.Range(0, 5).Select(i => Record($"t{i}", ["Karim Benali"], $"19{60 + i}-07-0{i + 1}"))];
        var same = Record("t9", ["Karim Benali"], "1985-03-12");
        targets.Add(same);
        var confirmed = new Dictionary<RecordPair, Judgement>
        {
            [new RecordPair("p", "t9")] = Judgement.Confirmed, // proposed anyway
            [new RecordPair("p", "t0")] = Judgement.Confirmed, // born 25 years apart: only the judgement proposes it
        };

        var hits = EntityResolver.CrossReference([probe], targets, null, confirmed);

        Assert.Equal(["t0", "t9"], hits.Select(h => h.B).Order());
        Assert.All(hits, h =>
        {
            Assert.Equal(1.0, h.Score);
            Assert.Equal("judgement", h.Evidence[0].Kind);
            Assert.Equal("6 records bear a like name", Assert.Single(h.Evidence, e => e.Kind == "prior").Detail);
        });
    }

    [Fact]
    public void Analyst_judgements_are_respected_by_later_runs()
    {
        var a = Record("a", ["Karim Benali"], "1985-03-12");
        var b = Record("b", ["Karim Benali"], "1985-03-12");
        var c = Record("c", ["Youssef Tazi"], "1990-01-01");
        Assert.Single(EntityResolver.Resolve([a, b, c]));

        var rejected = new Dictionary<RecordPair, Judgement> { [new RecordPair("b", "a")] = Judgement.Rejected };
        Assert.Empty(EntityResolver.Resolve([a, b, c], judgements: rejected));

        // A confirmed pair stands even though nothing in the records would propose it.
        var confirmed = new Dictionary<RecordPair, Judgement> { [new RecordPair("c", "a")] = Judgement.Confirmed };
        var proposals = EntityResolver.Resolve([a, b, c], judgements: confirmed);
        var ac = Assert.Single(proposals, p => new RecordPair(p.A, p.B) == new RecordPair("a", "c"));
        Assert.Equal(1.0, ac.Score);
        Assert.Equal("judgement", ac.Evidence[0].Kind);

        // Grouping takes the analyst's word first; b, whose date of birth contradicts c's, then stays apart.
        var groups = EntityResolver.Group([a, b, c], proposals);
        Assert.Contains(groups, g => g.SequenceEqual(["a", "c"]));
        Assert.Contains(groups, g => g.SequenceEqual(["b"]));
    }

    [Fact]
    public void Grouping_never_chains_two_different_people_through_a_record_that_fits_both()
    {
        var older = Record("older", ["Farid Sharif"], "1961-03-21");
        var younger = Record("younger", ["Farid Cherif"], "1990-07-02");
        var vague = Record("vague", ["Farid Sharif"], null);
        var proposals = new[]
        {
            new MatchProposal("older", "vague", 0.7, [new Evidence("name", "test", 0.8)]),
            new MatchProposal("younger", "vague", 0.6, [new Evidence("name", "test", 0.4)]),
        };
        var groups = EntityResolver.Group([older, younger, vague], proposals);
        Assert.Equal(2, groups.Count);
        Assert.Contains(groups, g => g.Contains("older") && g.Contains("vague"));
    }

    [Fact]
    public void Cross_reference_pairs_probes_with_targets_only_and_never_a_record_with_itself()
    {
        var world = SyntheticWorld.Generate(new WorldOptions { Persons = 400, Seed = 11 });
        var own = world.Records.Where(r => r.Agency == "MA-DGST").ToList();
        var partners = world.Records.Where(r => r.Agency != "MA-DGST").ToList();
        var reported = new List<int>();
        var hits = EntityResolver.CrossReference(own, partners, world.Links, progress: new SynchronousProgress(reported));
        Assert.NotEmpty(hits);
        var ownIds = own.Select(r => r.Id).ToHashSet();
        Assert.All(hits, h => Assert.True(ownIds.Contains(h.A) && !ownIds.Contains(h.B)));
        Assert.Equal(own.Count, reported.Max());

        var all = EntityResolver.CrossReference(own, world.Records, world.Links);
        Assert.DoesNotContain(all, h => h.A == h.B);

        // Most hits are right: the truth agrees.
        var right = hits.Count(h => world.TruthOfRecord[SyntheticWorld.RecordIndex(h.A)] == world.TruthOfRecord[SyntheticWorld.RecordIndex(h.B)]);
        Assert.True(right >= hits.Count * 0.95, $"{right} of {hits.Count}");
    }

    [Fact]
    public void Records_with_nothing_readable_or_only_invalid_identifiers_resolve_to_nothing_without_failing()
    {
        var a = new PersonRecord("a", "X", ["..."], null, [], [IdentifierNormaliser.Normalise(IdentifierKind.Phone, "12", "MA")]);
        var b = new PersonRecord("b", "X", [], null, [], [IdentifierNormaliser.Normalise(IdentifierKind.Phone, "12", "MA")]);
        Assert.Empty(EntityResolver.Resolve([a, b]));
        Assert.Empty(EntityResolver.Resolve([]));
    }

    private static PersonRecord Record(string id, string[] names, string? dob, params (string Kind, string Value, string Country)[] ids) =>
        new(id, "MA-DGST", names, dob is null ? null : PartialDate.Parse(dob), [],
            [.. ids.Select(i => IdentifierNormaliser.Normalise(Identifier.ParseKind(i.Kind)!.Value, i.Value, i.Country))]);

    private sealed class SynchronousProgress(List<int> reported) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reported)
            {
                reported.Add(value);
            }
        }
    }
}
