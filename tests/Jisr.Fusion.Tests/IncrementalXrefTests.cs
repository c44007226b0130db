using Jisr.Domain.Common;
using Jisr.Fusion.Identifiers;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;
using Xunit.Abstractions;

namespace Jisr.Fusion.Tests;

/// <summary>
/// Incremental cross-reference against full runs: over random worlds and random rounds of change (copies arriving and
/// recalled, names, dates and identifiers edited, links added and dropped, pairs judged and judged again), the
/// incremental answer must equal the full run's hit for hit, score and evidence included, while comparing fewer probes.
/// </summary>
public sealed class IncrementalXrefTests(ITestOutputHelper output)
{
    private const string Own = "MA-DGST";

    [Theory]
    [InlineData(3, false, false)]
    [InlineData(17, false, false)]
    [InlineData(41, true, false)]
    [InlineData(59, false, true)]
    [InlineData(73, true, true)]
    public void Incremental_after_changes_equals_a_full_run(int seed, bool againstAll, bool smallBlocks)
    {
        // Small block caps: blocks over the cap are skipped, so a recalled copy can bring a block back under it and
        // give probes candidates they never scored (the rule that compares such probes in full is needed only then).
        var options = smallBlocks ? new ResolutionOptions { MaxNameBlock = 4, MaxIdentifierBlock = 1 } : null;
        var world = SyntheticWorld.Generate(new WorldOptions { Persons = 600, Seed = seed });
        var random = new Random(seed);
        var records = world.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);

        // A quarter of the records are not visible yet: later rounds release them (copies arriving).
        var visible = records.Keys.Where(_ => random.NextDouble() < 0.75).ToHashSet(StringComparer.Ordinal);
        var links = world.Links.ToList();
        var judgements = new Dictionary<RecordPair, Judgement>();
        XrefState? state = null;
        var compared = new List<int>();

        for (var round = 0; round < 8; round++)
        {
            if (round > 0)
            {
                Change(random, records, visible, links, judgements, state!);
            }

            var shown = records.Values.Where(r => visible.Contains(r.Id)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            var probes = shown.Where(r => r.Agency == Own).ToList();
            var targets = againstAll ? shown : shown.Where(r => r.Agency != Own).ToList();
            var shownLinks = links.Where(l => visible.Contains(l.From) && visible.Contains(l.To)).ToList();
            var shownJudgements = judgements.Where(j => visible.Contains(j.Key.First) && visible.Contains(j.Key.Second)).ToDictionary();

            var full = EntityResolver.CrossReference(probes, targets, shownLinks, shownJudgements, options);
            var run = EntityResolver.CrossReferenceIncremental(probes, targets, shownLinks, shownJudgements, options, XrefState.FromBytes(state?.ToBytes()));

            Assert.Equal(Dump(full), Dump(run.Hits));
            compared.Add(run.Compared);
            output.WriteLine($"round {round}: {probes.Count} probes x {targets.Count} targets, {full.Count} hits, {run.Compared} compared");
            state = run.State;
        }

        // The first run compares every probe; a round of a few changes compares a part of them.
        Assert.Contains(compared.Skip(1), c => c > 0);
        Assert.Contains(compared.Skip(1), c => c < compared[0] / 2);
    }

    [Fact]
    public void A_run_with_nothing_changed_compares_no_probe_and_damaged_state_means_a_full_run()
    {
        var world = SyntheticWorld.Generate(new WorldOptions { Persons = 200, Seed = 5 });
        var probes = world.Records.Where(r => r.Agency == Own).ToList();
        var targets = world.Records.Where(r => r.Agency != Own).ToList();
        var first = EntityResolver.CrossReferenceIncremental(probes, targets, world.Links, null, null, null);
        Assert.Equal(probes.Count, first.Compared);

        var again = EntityResolver.CrossReferenceIncremental(probes, targets, world.Links, null, null, XrefState.FromBytes(first.State.ToBytes()));
        Assert.Equal(0, again.Compared);
        Assert.Equal(Dump(first.Hits), Dump(again.Hits));

        // Read with the records to score, the state's ids are those records' strings (no copy of each id).
        var ids = probes.Concat(targets).GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First().Id);
        var read = XrefState.FromBytes(first.State.ToBytes(), [.. probes, .. targets]);
        Assert.NotNull(read);
        Assert.All(read.Probes.Keys.Concat(read.Targets.Keys).Concat(read.Hits.SelectMany(h => new[] { h.A, h.B })), id => Assert.Same(ids[id], id));
        Assert.Equal(Dump(first.Hits), Dump(EntityResolver.CrossReferenceIncremental(probes, targets, world.Links, null, null, read).Hits));

        // Another threshold is another question: no reuse.
        var other = EntityResolver.CrossReferenceIncremental(probes, targets, world.Links, null, new ResolutionOptions { Threshold = 0.8 }, first.State);
        Assert.Equal(probes.Count, other.Compared);

        var bytes = first.State.ToBytes();
        Assert.Null(XrefState.FromBytes(bytes[..(bytes.Length / 2)]));
        Assert.Null(XrefState.FromBytes([1, 2, 3, 4, 5]));
        Assert.Null(XrefState.FromBytes([]));
        var noise = new byte[4096];
        new Random(2).NextBytes(noise);
        Assert.Null(XrefState.FromBytes(noise)); // Brotli's decoder refuses it with its own exception
    }

    [Fact]
    public void A_mark_fingerprints_what_scoring_reads_as_states_already_stored_do()
    {
        // A stored state's fingerprints must keep their meaning from build to build: SHA-256 of the fields scoring
        // reads, in this order and with these separators. Records of every size, a hub with a long text among them (its
        // buffers are not the ones a thread keeps), in both scripts, with valid and invalid identifiers.
        var phone = IdentifierNormaliser.Normalise(IdentifierKind.Phone, "06 61 23 45 67", "MA");
        var bad = IdentifierNormaliser.Normalise(IdentifierKind.Iban, "MA64 0000 0000", null);
        string[] hubNames = [.. Enumerable.Range(0, 600).Select(i => $"Karim Benali {i}")];
        PersonRecord[] records =
        [
            new("p1", Own, ["كريم بنعلي", "Karim Benali"], PartialDate.Create(1985, 4, 12), ["MA", "FR"], [phone, bad], Jisr.Domain.Entities.Gender.Male),
            new("p2", Own, hubNames, PartialDate.Create(1990), [], [], Jisr.Domain.Entities.Gender.Unknown),
            new("p3", Own, ["Nadia Haddad"], null, ["DZ"], [phone], Jisr.Domain.Entities.Gender.Female),
        ];
        var targets = new[] { new PersonRecord("t1", "ES-CNP", ["Karim Ben Ali"], PartialDate.Create(1985, 4), ["MA"], []) };
        var links = new[] { new EntityLink("p1", "t1", "associate") };

        var state = EntityResolver.CrossReferenceIncremental(records, targets, links, null, null, null).State;

        foreach (var r in records)
        {
            var neighbours = r.Id == "p1" ? new[] { "id:t1" } : [];
            var text = string.Join(string.Empty, new[]
            {
                r.Id, r.Agency, string.Join('\u001f', r.Names), r.DateOfBirth?.ToString(), string.Join('\u001f', r.Nationalities),
                string.Join('\u001f', r.Identifiers.Select(x => $"{x.Kind}\u001d{x.Written}\u001d{x.Normalised}\u001d{x.Country}\u001d{x.Problem}")),
                r.Gender.ToString(), string.Join('\u001f', neighbours), null,
            }.Select(field => field + '\u001e'));
            var expected = BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
            Assert.Equal(expected, state.Probes[r.Id].Fingerprint);
        }
    }

    [Fact]
    public void A_state_of_several_megabytes_reads_back_whole()
    {
        // Written in 1 MiB chunks: a state spanning several of them, with marks and hits, must read back exactly.
        var random = new Random(11);
        string Id()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes).ToString();
        }

        var probes = Enumerable.Range(0, 40_000).ToDictionary(_ => Id(), _ => new XrefMark((ulong)random.NextInt64(), [], random.Next(1, 30)));
        var targets = Enumerable.Range(0, 40_000).ToDictionary(_ => Id(), _ => new XrefMark((ulong)random.NextInt64(), [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => (ulong)random.NextInt64())], 0));
        var hits = probes.Keys.Take(5_000).Select(a => new MatchProposal(a, targets.Keys.ElementAt(random.Next(1000)), Math.Round(random.NextDouble(), 4), [new Evidence("name", $"'{a}' and a namesake", 0.5), new Evidence("dob", "born the same day", 1.5)])).ToList();
        var state = new XrefState("v1;0.5", probes, targets, hits);

        var bytes = state.ToBytes();
        var read = XrefState.FromBytes(bytes);

        Assert.True(bytes.Length > 2 << 20, $"{bytes.Length} bytes: the test needs several chunks of 1 MiB");
        Assert.NotNull(read);
        Assert.Equal(bytes, read.ToBytes());
        Assert.Equal(probes.Count, read.Probes.Count);
        Assert.Equal(targets.Keys, read.Targets.Keys);
        Assert.Equal(Dump(hits), Dump(read.Hits));
    }

    [Fact]
    public void A_recalled_copy_that_brings_a_block_under_its_cap_gives_the_hits_of_a_full_run()
    {
        // Two partner copies share the probe's phone: over the identifier block cap of 1, the phone finds nobody.
        // When one is recalled, the block is under the cap again and the other, unchanged, becomes a hit: the probe
        // must be compared with every candidate, not only with the targets that changed and its previous hits.
        var options = new ResolutionOptions { MaxIdentifierBlock = 1 };
        var phone = new Identifier(IdentifierKind.Phone, "+212661234567", "+212661234567", null, null);
        var born = PartialDate.Create(1985, 4, 12);
        PersonRecord Record(string id, string agency, string name) => new(id, agency, [name], born, ["MA"], [phone]);
        var probes = new[] { Record("p1", Own, "Karim Tazi") };
        var kept = Record("t1", "ES-CNP", "Omar Fassi");
        var recalled = Record("t2", "FR-DGSI", "Hamid Zerouali");

        var first = EntityResolver.CrossReferenceIncremental(probes, [kept, recalled], null, null, options, null);
        Assert.Empty(first.Hits);

        var full = EntityResolver.CrossReference(probes, [kept], null, null, options);
        var next = EntityResolver.CrossReferenceIncremental(probes, [kept], null, null, options, XrefState.FromBytes(first.State.ToBytes()));
        Assert.Equal("p1 t1", Assert.Single(full).A + " " + full[0].B);
        Assert.Equal(Dump(full), Dump(next.Hits));
    }

    private static void Change(Random random, Dictionary<string, PersonRecord> records, HashSet<string> visible, List<EntityLink> links, Dictionary<RecordPair, Judgement> judgements, XrefState previous)
    {
        var ids = records.Keys.Order(StringComparer.Ordinal).ToArray();
        string Any() => ids[random.Next(ids.Length)];
        for (var i = 0; i < 3; i++)
        {
            var id = Any();
            if (!visible.Remove(id))
            {
                visible.Add(id);
            }
        }

        for (var i = 0; i < 2; i++)
        {
            var (id, donor) = (Any(), records[Any()]);
            var r = records[id];
            records[id] = random.Next(4) switch
            {
                0 => r with { Names = donor.Names },
                1 => r with { DateOfBirth = r.DateOfBirth is null ? PartialDate.Create(1980) : null },
                2 => r with { Identifiers = [.. r.Identifiers.Skip(1)] },
                _ => r with { Identifiers = [.. r.Identifiers, .. donor.Identifiers] },
            };
        }

        if (random.Next(2) == 0 && links.Count > 0)
        {
            links.RemoveAt(random.Next(links.Count));
        }
        else
        {
            links.Add(new EntityLink(Any(), Any(), "associate"));
        }

        // Judge a pair the last run found (confirm or reject it), and one it did not.
        if (previous.Hits.Count > 0)
        {
            var hit = previous.Hits[random.Next(previous.Hits.Count)];
            judgements[new RecordPair(hit.A, hit.B)] = random.Next(2) == 0 ? Judgement.Confirmed : Judgement.Rejected;
        }

        var (x, y) = (Any(), Any());
        if (x != y)
        {
            judgements[new RecordPair(x, y)] = Judgement.Confirmed;
        }
    }

    private static List<string> Dump(IReadOnlyList<MatchProposal> hits) =>
        [.. hits.Select(h => $"{h.A} {h.B} {h.Score:R} {h.Explanation}")];
}
