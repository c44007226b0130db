using Jisr.Bench.Api;
using Jisr.Bench.Matching;

// Benchmarks that print figures. Run with:
//   dotnet run --project bench/Jisr.Bench -c Release -- api   [--seconds 10] [--postgres CONNECTION-STRING]
//   dotnet run --project bench/Jisr.Bench -c Release -- audit [--entries 1000000] [--postgres CONNECTION-STRING]
//   dotnet run --project bench/Jisr.Bench -c Release -- matching [NAMES]   (default 1000000; 0: the pair scoring figures only)
//   dotnet run --project bench/Jisr.Bench -c Release -- person-match [--persons 1000000] [--seconds 20] [--connections 1,2,4,8,16]   (GET /api/v1/persons/match end to end, wrk, a round per connection count)
//   dotnet run --project bench/Jisr.Bench -c Release -- fusion [PERSONS-PER-SIDE...] [--xref-only] [--incremental]   (xref N x N, default 100000; then the 1,000,000-link graph)
//   dotnet run --project bench/Jisr.Bench -c Release -- graph-cache [RECORDS]   (graph queries through the API, cache miss against hit; default 200 records of 20 persons)
//   dotnet run --project bench/Jisr.Bench -c Release -- graph-db [LINKS] [--postgres] [--rounds N] [--whole | --whole-only cells,...] [--keep FILE]   (neighbourhood and path p99 on a database holding the 1,000,000-link graph)
//   dotnet run --project bench/Jisr.Bench -c Release -- xref-db [PERSONS-PER-SIDE] [--postgres] [--phases] [--jisr PATH] [--keep FILE]   (jisr xref, the built CLI, on a database of N own persons and N in a partner's released copies; default 100000; --keep: a SQLite file seeded once and reused)
//   dotnet run --project bench/Jisr.Bench -c Release -- names-quality [TSV...]   (per-kind accuracy at the threshold vs the one-letter baseline)
//   dotnet run --project bench/Jisr.Bench -c Release -- name-weights tests/data/names/wikidata_name_tokens_top3000.tsv > src/Jisr.Matching/Names/name-weights.tsv
//   dotnet run --project bench/Jisr.Bench -c Release -- name-scores tests/data/names/dev.tsv tests/data/names/un-dev.tsv > tests/data/names/scores-reference.tsv   (the score-equality reference)
//   dotnet run --project bench/Jisr.Bench -c Release -- probe PATH-TO-SQLITE-DB   (where a record read spends its time)
//   dotnet run --project bench/Jisr.Bench -c Release -- listsearch [--records 100000] [--sqlite PATH] [--postgres CONNECTION-STRING] [--no-plans]   (list and search SQL, plans, ms per query)
//   dotnet run --project bench/Jisr.Bench -c Release -- stix [OBJECTS]   (STIX bundle import into SQLite, default 100000)
//   dotnet run --project bench/Jisr.Bench -c Release -- stix-cli [OBJECTS] [--jisr PATH]   (the same through the built jisr process: its runtime settings, start-up included)
//   dotnet run --project bench/Jisr.Bench -c Release -- federation [RELEASES] [BACKLOG]   (two nodes over HTTPS; default 200, 10000)
//   dotnet run --project bench/Jisr.Bench -c Release -- hitkeys [TSV...]   (hit/no-hit name keys: same-person recall and different-person hits, as built and variants)
//   dotnet run --project bench/Jisr.Bench -c Release -- hitrebuild [RECORDS...]   (hit/no-hit filter rebuild rounds, full and targeted, on two real nodes; default 100000 1000000)
//   dotnet run --project bench/Jisr.Bench -c Release -- hitfilter [ENTRIES]   (hit/no-hit filter build, size, false positives, checks against five filters; default 1000000)
//   dotnet run --project bench/Jisr.Bench -c Release -- taxii [OBJECTS] [LIMIT]  (jisr sync pull between two nodes on loopback, default 100000; LIMIT: --limit of the pull, default the client's)
switch (args.FirstOrDefault())
{
    case "api":
        await ApiBench.RunAsync(BenchOptions.Parse(args[1..]));
        return 0;
    case "person-match":
        await PersonMatchBench.RunAsync(args[1..]);
        return 0;
    case "audit":
        await AuditBench.RunAsync(BenchOptions.Parse(args[1..]));
        return 0;
    case "matching":
        MatchingBench.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        return 0;
    case "explain" when args.Length == 3:
        var explanation = Jisr.Matching.Names.NameMatcher.Explain(args[1], args[2]);
        Console.WriteLine($"{explanation.Score:F3} {explanation.Summary}");
        foreach (var part in explanation.Parts)
        {
            Console.WriteLine($"  {part.A} ~ {part.B}: {part.Similarity:F3} {part.How}");
        }

        return 0;
    case "fusion":
        Jisr.Bench.Fusion.FusionBench.Run(args[1..]);
        return 0;
    case "graph-cache":
        await Jisr.Bench.Fusion.GraphCacheBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
        return 0;
    case "graph-db":
        await Jisr.Bench.Fusion.GraphDatabaseBench.RunAsync(args[1..]);
        return 0;
    case "xref-db":
        await Jisr.Bench.Fusion.XrefDatabaseBench.RunAsync(args[1..]);
        return 0;
    case "names-quality":
        QualityReport.Run(args[1..]);
        return 0;
    case "name-scores" when args.Length > 1:
        MatchingBench.WriteScores(args[1..], Console.Out);
        return 0;
    case "name-weights" when args.Length == 2:
        QualityReport.WriteWeights(args[1], Console.Out);
        return 0;
    case "stix":
        await Jisr.Bench.Exchange.StixImportBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
        return 0;
    case "stix-cli":
        await Jisr.Bench.Exchange.StixCliImportBench.RunAsync(args[1..]);
        return 0;
    case "federation":
        await Jisr.Bench.Federation.FederationBench.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
        return 0;
    case "taxii":
        await Jisr.Bench.Exchange.TaxiiPullBench.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null);
        return 0;
    case "hitfilter":
        Jisr.Bench.Exchange.HitFilterBench.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        Jisr.Bench.Exchange.HitFilterBench.RunDistinct(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        return 0;
    case "hitkeys":
        Jisr.Bench.Exchange.HitKeyRecallBench.Run(args[1..]);
        return 0;
    case "hitrebuild":
        await Jisr.Bench.Exchange.HitRebuildBench.RunAsync([.. args[1..].Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture))]);
        return 0;
    case "listsearch":
        await Jisr.Bench.Records.ListSearchProbe.RunAsync(args[1..]);
        return 0;
    case "probe" when args.Length == 2 && File.Exists(args[1]): // an existing database only: a mistyped path would be created empty
        await ReadPathProbe.RunAsync(args[1]);
        return 0;
    default:
        Console.Error.WriteLine("usage: Jisr.Bench api|audit [--postgres CONNECTION-STRING] [--seconds N] [--entries N] | person-match [--persons N] | matching [NAMES] | explain NAME NAME | probe EXISTING-SQLITE-PATH | listsearch [--records N] | stix [OBJECTS] | stix-cli [OBJECTS] [--jisr PATH] | federation [RELEASES] [BACKLOG] | taxii [OBJECTS] [LIMIT] | hitfilter [ENTRIES] | hitkeys [TSV...] | hitrebuild [RECORDS...] | fusion [PERSONS-PER-SIDE...] | graph-cache [RECORDS] | graph-db [LINKS] [--postgres] | xref-db [PERSONS-PER-SIDE] [--postgres] | names-quality [TSV...] | name-scores TSV... | name-weights COUNTS-TSV (the options of each: the comment at the top of bench/Jisr.Bench/Program.cs)");
        return 2;
}
