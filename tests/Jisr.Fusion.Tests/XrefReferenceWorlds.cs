using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jisr.Fusion.Resolution;
using Jisr.Fusion.Synthetic;

namespace Jisr.Fusion.Tests;

/// <summary>
/// The cross-reference and resolution answers on fixed random worlds, one line a hit (probe, target, score to the last
/// bit, a digest of the evidence). <c>data/xref-reference.tsv</c> holds these lines as the resolver gave them before
/// it was made faster; the speed work must reproduce them exactly.
/// </summary>
internal static class XrefReferenceWorlds
{
    public static IEnumerable<string> Lines()
    {
        foreach (var seed in new[] { 5, 23, 77 })
        {
            var world = SyntheticWorld.Generate(new WorldOptions { Persons = 1500, Seed = seed });
            var random = new Random(seed);
            var records = world.Records;
            var own = records[0].Agency;
            var probes = records.Where(r => r.Agency == own).ToList();
            var partners = records.Where(r => r.Agency != own).ToList();

            // Some pairs judged: confirmed pairs stay proposed whatever blocking finds, rejected ones never are.
            var judgements = new Dictionary<RecordPair, Judgement>();
            for (var i = 0; i < 40; i++)
            {
                var (a, b) = (records[random.Next(records.Count)].Id, records[random.Next(records.Count)].Id);
                if (a != b)
                {
                    judgements[new RecordPair(a, b)] = random.Next(2) == 0 ? Judgement.Confirmed : Judgement.Rejected;
                }
            }

            foreach (var (name, hits) in new (string, IReadOnlyList<MatchProposal>)[]
            {
                ("partners", EntityResolver.CrossReference(probes, partners)),
                ("all-linked", EntityResolver.CrossReference(probes, records, world.Links, judgements)),
                ("low-threshold", EntityResolver.CrossReference(probes, partners, world.Links, null, new ResolutionOptions { Threshold = 0.2, MaxNameBlock = 40, MaxIdentifierBlock = 3 })),
                ("resolve", EntityResolver.Resolve(records, world.Links, judgements)),
            })
            {
                foreach (var hit in hits)
                {
                    yield return string.Create(CultureInfo.InvariantCulture, $"{seed}\t{name}\t{hit.A}\t{hit.B}\t{hit.Score:R}\t{Digest(hit)}");
                }
            }
        }
    }

    private static string Digest(MatchProposal hit)
    {
        var text = string.Join("\n", hit.Evidence.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Kind}\t{e.Detail}\t{e.Weight:R}")));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
