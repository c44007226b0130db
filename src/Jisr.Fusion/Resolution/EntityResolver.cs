using System.Collections.Concurrent;
using Jisr.Domain.Entities;
using Jisr.Fusion.Identifiers;
using Jisr.Matching.Names;

namespace Jisr.Fusion.Resolution;

/// <summary>
/// Entity resolution and cross-reference over person records. Candidate pairs come from blocking on normalised
/// identifiers (<see cref="Identifier.Key"/>) and from the name index (<see cref="NameIndex{TId}"/>, whose keys are
/// transliteration skeletons); each pair is scored on names (<see cref="NameMatcher"/>), partial dates of birth,
/// nationality, shared identifiers and shared neighbours as a sum of log-odds, and every proposal carries that evidence.
/// Pure: it sees only the records it is given, which the caller filtered for the requesting user.
/// </summary>
public static partial class EntityResolver
{
    /// <summary>Name score from which a difference is a spelling slip rather than another name.</summary>
    private const double SameNameScore = 0.85;

    /// <summary>Records one person has among the targets, on average, before any evidence (the prior's numerator).</summary>
    private const double RecordsPerPerson = 2.0;

    /// <summary>Every pair of records within <paramref name="records"/> that is likely one person.</summary>
    public static IReadOnlyList<MatchProposal> Resolve(
        IReadOnlyList<PersonRecord> records,
        IReadOnlyList<EntityLink>? links = null,
        IReadOnlyDictionary<RecordPair, Judgement>? judgements = null,
        ResolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var prepared = Prepare(records, links);
        return Match(prepared, prepared, sameSet: true, judgements, options ?? new ResolutionOptions(), progress: null);
    }

    /// <summary>
    /// Cross-reference: each probe against every target, best first per probe. A record present on both sides
    /// (same id) is not matched with itself.
    /// </summary>
    public static IReadOnlyList<MatchProposal> CrossReference(
        IReadOnlyList<PersonRecord> probes,
        IReadOnlyList<PersonRecord> targets,
        IReadOnlyList<EntityLink>? links = null,
        IReadOnlyDictionary<RecordPair, Judgement>? judgements = null,
        ResolutionOptions? options = null,
        IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(targets);
        var preparedTargets = Prepare(targets, links);
        var preparedProbes = ReferenceEquals(probes, targets) ? preparedTargets : Prepare(probes, links);
        return Match(preparedProbes, preparedTargets, sameSet: false, judgements, options ?? new ResolutionOptions(), progress);
    }

    /// <summary>Scores one pair with its evidence (also for pairs no blocking would have found, e.g. an analyst's question).</summary>
    public static MatchProposal Score(PersonRecord a, PersonRecord b, IReadOnlyList<EntityLink>? links = null)
    {
        var prepared = Prepare([a, b], links);
        return Score(prepared.Items[0], prepared.Items[1], knownNameScore: null, similarNames: 1, explain: true);
    }

    /// <summary>
    /// Groups records into persons. Proposals are taken best first and join two groups only when no pair across them
    /// contradicts (dates of birth that conflict, different genders, different document numbers): one record written
    /// only as "Farid Sharif" can join one Farid Sharif, never chain two different ones into one person.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Group(IReadOnlyList<PersonRecord> records, IEnumerable<MatchProposal> proposals, IReadOnlyList<EntityLink>? links = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(proposals);
        var prepared = Prepare(records, links);
        var parent = Enumerable.Range(0, records.Count).ToArray();
        var members = Enumerable.Range(0, records.Count).Select(i => new List<int> { i }).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        foreach (var p in proposals.OrderByDescending(p => p.Score).ThenBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal))
        {
            if (!prepared.ById.TryGetValue(p.A, out var a) || !prepared.ById.TryGetValue(p.B, out var b))
            {
                continue;
            }

            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb || (long)members[ra].Count * members[rb].Count > MaxGroupCheck)
            {
                continue;
            }

            var confirmed = p.Score >= 1.0 && p.Evidence.Count > 0 && p.Evidence[0].Kind == "judgement";
            if (!confirmed && members[ra].Any(x => members[rb].Any(y => Contradicts(prepared.Items[x], prepared.Items[y]))))
            {
                continue;
            }

            var (big, small) = members[ra].Count >= members[rb].Count ? (ra, rb) : (rb, ra);
            parent[small] = big;
            members[big].AddRange(members[small]);
            members[small].Clear();
        }

        return [.. Enumerable.Range(0, records.Count).Where(i => Find(i) == i).Select(i => (IReadOnlyList<string>)[.. members[i].Order().Select(m => records[m].Id)])];
    }

    /// <summary>Beyond this many cross pairs two groups are not checked, and not merged (a runaway chain is not a person).</summary>
    private const long MaxGroupCheck = 250_000;

    private static bool Contradicts(PreparedRecord a, PreparedRecord b)
    {
        var evidence = new List<Evidence>(8);
        _ = DateEvidence(a.Record.DateOfBirth, b.Record.DateOfBirth, evidence);
        _ = GenderEvidence(a.Record.Gender, b.Record.Gender, evidence);
        _ = IdentifierEvidence(a, b, evidence);
        return evidence.Any(e => e.Weight <= -2) && evidence.Sum(e => e.Weight) < 0;
    }

    private sealed class Prepared
    {
        public required PreparedRecord[] Items { get; init; }

        /// <summary>What the candidate filter reads of each item, flat, index for index.</summary>
        public required Facts[] Facts { get; init; }

        public required Dictionary<string, int> ById { get; init; }

        public NameBlocks? Blocks { get; set; }

        /// <summary>The items' <see cref="Screen"/>s, index for index: made for the targets of a match.</summary>
        public Screen[]? Screens { get; set; }

        public Dictionary<string, int[]>? ByKey { get; set; }
    }

    private sealed class PreparedRecord
    {
        public required PersonRecord Record { get; init; }

        public required IReadOnlyList<NameToken>[] Names { get; init; }

        /// <summary>The written names behind <see cref="Names"/>, index for index.</summary>
        public required string[] NameTexts { get; init; }

        public required string[] Keys { get; init; }

        /// <summary>Each identifier's <see cref="Identifier.Key"/>, index for index (the property builds a new string per call).</summary>
        public required string?[] IdentifierKeys { get; init; }

        public required string[] Neighbours { get; init; }
    }

    private static Prepared Prepare(IReadOnlyList<PersonRecord> records, IReadOnlyList<EntityLink>? links)
    {
        var byId = new Dictionary<string, int>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            byId.TryAdd(records[i].Id, i);
        }

        // A neighbour is known by its id and by its identifiers, so two agencies' records that both link to the same
        // phone (or to records carrying it) share it even when the neighbour records themselves differ.
        var neighbours = new List<string>[records.Count];
        if (links is not null)
        {
            var keysById = records.ToDictionary(r => r.Id, r => r.Identifiers.Select(i => i.Key).OfType<string>().ToArray(), StringComparer.Ordinal);
            foreach (var link in links)
            {
                if (link.From == link.To)
                {
                    continue;
                }

                Add(link.From, link.To);
                Add(link.To, link.From);
            }

            void Add(string from, string to)
            {
                if (!byId.TryGetValue(from, out var at))
                {
                    return;
                }

                var list = neighbours[at] ??= [];
                list.Add("id:" + to);
                if (keysById.TryGetValue(to, out var keys))
                {
                    list.AddRange(keys);
                }
            }
        }

        var items = new PreparedRecord[records.Count];
        var facts = new Facts[records.Count];
        Parallel.For(0, records.Count, i =>
        {
            var r = records[i];
            var parsed = r.Names.Select(n => (Text: n, Tokens: NameParser.Parse(n))).Where(x => x.Tokens.Count > 0).ToArray();
            var identifierKeys = r.Identifiers.Select(x => x.Key).ToArray();
            string[] keys = [.. identifierKeys.OfType<string>().Distinct(StringComparer.Ordinal)];
            string[] near = neighbours[i] is { } n ? [.. n.Distinct(StringComparer.Ordinal)] : [];

            // Arrays that hold the same as one the record already has are that one (a million records each keep
            // several: their names as written, their keys).
            items[i] = new PreparedRecord
            {
                Record = r,
                Names = [.. parsed.Select(x => x.Tokens)],
                NameTexts = parsed.Length == r.Names.Count && r.Names is string[] written ? written : [.. parsed.Select(x => x.Text)],
                Keys = keys,
                IdentifierKeys = keys.Length == identifierKeys.Length ? keys : identifierKeys,
                Neighbours = near,
            };
            facts[i] = new Facts(r, keys, near);
        });
        return new Prepared { Items = items, Facts = facts, ById = byId };
    }

    private static List<MatchProposal> Match(
        Prepared probes,
        Prepared targets,
        bool sameSet,
        IReadOnlyDictionary<RecordPair, Judgement>? judgements,
        ResolutionOptions options,
        IProgress<int>? progress,
        IncrementalScope? scope = null)
    {
        targets.Blocks ??= NameBlocks.Build([.. targets.Items.Select(r => r.Names)], [.. targets.Items.Select(r => r.Record.DateOfBirth)]);
        if (targets.ByKey is null)
        {
            var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < targets.Items.Length; i++)
            {
                foreach (var key in targets.Items[i].Keys)
                {
                    if (!byKey.TryGetValue(key, out var list))
                    {
                        byKey[key] = list = [];
                    }

                    list.Add(i);
                }
            }

            targets.ByKey = byKey.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        }

        // Parallel.ForEach runs its body in replicas that end and start again every few hundred milliseconds, each
        // with a worker from the local init: a new one each time allocated its array of stamps per target anew (4 MB at
        // a million targets, over 200 replicas in a million-probe run: most of the heap's growth while matching). The
        // workers go back to this pool, their stamps and proposals kept, and the next replica takes one.
        var workers = new ConcurrentBag<MatchWorker>();
        var cut = Math.Log(options.Threshold / (1 - options.Threshold));
        var done = 0;
        if (probes.Items.Length == 0)
        {
            return [];
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount };
        var targetFacts = targets.Facts;
        if (targets.Screens is null)
        {
            var screens = new Screen[targetFacts.Length];
            for (var t = 0; t < screens.Length; t++)
            {
                screens[t] = new Screen(targetFacts[t]);
            }

            targets.Screens = screens;
        }

        var targetScreens = targets.Screens;
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, probes.Items.Length, 256),
            parallel,
            () => workers.TryTake(out var idle) ? idle : new MatchWorker(targets.Items.Length),
            (range, _, worker) =>
            {
                var named = worker.Named;
                var seen = worker.Seen;
                for (var p = range.Item1; p < range.Item2; p++)
                {
                    // A new stamp per probe marks the targets already taken (a set cleared per probe cost more).
                    var stamp = worker.NextStamp();
                    var candidates = worker.Candidates;
                    candidates.Clear();
                    named.Clear();
                    var probe = probes.Items[p];
                    foreach (var key in probe.Keys)
                    {
                        if (targets.ByKey.TryGetValue(key, out var block) && block.Length <= options.MaxIdentifierBlock)
                        {
                            foreach (var t in block)
                            {
                                if (seen[t] != stamp)
                                {
                                    seen[t] = stamp;
                                    candidates.Add(t);
                                }
                            }
                        }
                    }

                    targets.Blocks.Candidates(probe.Names, probe.Record.DateOfBirth, options.MaxNameBlock, named, out var namesakes);

                    // How common the name is: its namesakes among the targets, the probe itself not counted.
                    var similar = Math.Max(1, sameSet ? namesakes - 1 : namesakes);
                    var prior = Math.Log(RecordsPerPerson / similar);
                    var only = scope?.OnlyTargets[p];
                    ref readonly var probeFacts = ref probes.Facts[p];
                    var probeScreen = new Screen(probeFacts);
                    foreach (var t in named)
                    {
                        // A namesake is screened once (it may be filed under several of the probe's keys); those the screen
                        // rules out are never candidates (the identifier blocks above are not screened).
                        if (seen[t] != stamp)
                        {
                            seen[t] = stamp;
                            if (ScreenBound(prior, probeScreen, targetScreens[t]) + MaxNamePartWeight >= cut)
                            {
                                candidates.Add(t);
                            }
                        }
                    }
                    foreach (var t in candidates)
                    {
                        ref readonly var facts = ref targetFacts[t];
                        if (sameSet ? t <= p : facts.IdHash == probeFacts.IdHash && targets.Items[t].Record.Id == probe.Record.Id)
                        {
                            // Within one set each pair once (lower index as A); never a record with itself.
                            continue;
                        }

                        if (only is not null && !scope!.DirtyTargets[t] && !only.Contains(t))
                        {
                            // Incremental: nothing this pair's outcome depends on changed but the prior, which only fell.
                            continue;
                        }

                        // Names weigh at most +1 (all parts agree): when everything else already sinks the pair below the
                        // threshold, the names need not be compared at all (most namesakes of another year end here).
                        // The flat facts decide first; the records are read only for the pairs they cannot rule out.
                        var target = targets.Items[t];
                        var identifiersMeet = IdentifiersMayMeet(probeFacts, facts);
                        if (UpperBound(prior, probeFacts, facts, probe, target) + MaxNamePartWeight < cut
                            || Logit(probe, target, 1.0, similar, withNameParts: false, IdentifiersMayGain(probeFacts, facts)) + MaxNamePartWeight < cut)
                        {
                            continue;
                        }

                        // The product's one decision threshold gates the names: a pair whose names the matcher
                        // calls no match is a candidate only through a shared identifier.
                        var nameScore = BestNameScore(probe, target);
                        if (!NameMatcher.IsMatch(nameScore) && !SharesKey(probe, target))
                        {
                            continue;
                        }

                        var proposal = Decide(probe, target, nameScore, similar, judgements, options.Threshold, identifiersMeet);
                        if (proposal is not null)
                        {
                            worker.Found.Add(proposal);
                        }
                    }
                }

                if (progress is not null)
                {
                    progress.Report(Interlocked.Add(ref done, range.Item2 - range.Item1));
                }

                return worker;
            },
            workers.Add);

        var all = workers.SelectMany(w => w.Found).ToList();
        // Every confirmed pair is proposed here, whether blocking finds it or not (an analyst's word stands), none by the
        // loop (Decide leaves it): it reads the same in every run.
        if (judgements is not null)
        {
            foreach (var (pair, judgement) in judgements)
            {
                if (judgement != Judgement.Confirmed)
                {
                    continue;
                }

                foreach (var (a, b) in new[] { (pair.First, pair.Second), (pair.Second, pair.First) })
                {
                    if (probes.ById.TryGetValue(a, out var pa) && targets.ById.TryGetValue(b, out var tb) && (!sameSet || pa < tb))
                    {
                        // Its prior as the loop gives a probe's (how common the name is among the targets, the probe
                        // itself not counted): "no other record bears a like name" was said of common names too.
                        var namesakes = targets.Blocks.Namesakes(probes.Items[pa].Names);
                        all.Add(Confirmed(Score(probes.Items[pa], targets.Items[tb], null, Math.Max(1, sameSet ? namesakes - 1 : namesakes), explain: true)));
                        break;
                    }
                }
            }
        }

        all.Sort((x, y) => string.CompareOrdinal(x.A, y.A) is var c and not 0 ? c : y.Score.CompareTo(x.Score) is var s and not 0 ? s : string.CompareOrdinal(x.B, y.B));
        return all;
    }

    private static MatchProposal? Decide(
        PreparedRecord a, PreparedRecord b, double? nameScore, int similarNames, IReadOnlyDictionary<RecordPair, Judgement>? judgements, double threshold, bool identifiersMeet)
    {
        if (judgements is not null && judgements.ContainsKey(new RecordPair(a.Record.Id, b.Record.Id)))
        {
            // A rejected pair is never proposed; a confirmed one is, after the loop, scored the same whichever of the
            // loop's checks it met here (they turn candidates away by bounds that change as the code gets faster).
            return null;
        }

        // Scored without explanation first: most candidates fall below the threshold, and explaining costs allocations.
        // The name-part check (a full explanation of the names) runs only when it can still change the outcome.
        var cut = Math.Log(threshold / (1 - threshold));
        var rest = Logit(a, b, nameScore, similarNames, withNameParts: false, identifiersMeet);
        if (rest + MaxNamePartWeight < cut)
        {
            return null;
        }

        if (rest + MinNamePartWeight < cut && rest + MiddleNameEvidence(a, b, null) < cut)
        {
            return null;
        }

        return Score(a, b, nameScore, similarNames, explain: true);
    }

    private static MatchProposal Confirmed(MatchProposal scored) =>
        scored with { Score = 1.0, Evidence = [new Evidence("judgement", "confirmed by an analyst", 0), .. scored.Evidence] };

    private const double MaxNamePartWeight = 1.0;

    private const double MinNamePartWeight = -2.5;

    /// <summary>
    /// The log-odds without building evidence, optionally without the costly name-part check. Without
    /// <paramref name="identifiersMeet"/> (<see cref="IdentifiersMayMeet"/> said no) the identifiers weigh exactly 0 and are not read.
    /// </summary>
    private static double Logit(PreparedRecord a, PreparedRecord b, double? knownNameScore, int similarNames, bool withNameParts, bool identifiersMeet = true)
    {
        var name = knownNameScore ?? BestNameScore(a, b);
        return Math.Log(RecordsPerPerson / similarNames)
            + NameWeight(name)
            + (withNameParts ? MiddleNameEvidence(a, b, null) : 0)
            + DateEvidence(a.Record.DateOfBirth, b.Record.DateOfBirth, null)
            + NationalityEvidence(a.Record.Nationalities, b.Record.Nationalities, null)
            + GenderEvidence(a.Record.Gender, b.Record.Gender, null)
            + (identifiersMeet ? IdentifierEvidence(a, b, null) : 0)
            + NeighbourEvidence(a, b, null);
    }

    /// <summary>Spelling variants and transliterations score 0.95 and up; below that, a typo or a different person.</summary>
    private static double NameWeight(double name) =>
        name >= 0.95 ? 0 : name >= SameNameScore ? (name - 0.95) * 10 : Math.Max(-8, -1 - ((SameNameScore - name) * 30));

    private static MatchProposal Score(PreparedRecord a, PreparedRecord b, double? knownNameScore, int similarNames, bool explain)
    {
        // The prior is how common the name is among the targets: with one look-alike a name says much, with twenty little.
        var evidence = explain ? new List<Evidence>(8) : null;
        var prior = Math.Log(RecordsPerPerson / similarNames);
        var total = prior;
        evidence?.Add(new Evidence("prior", similarNames == 1 ? "no other record bears a like name" : $"{similarNames} records bear a like name", prior));

        var name = knownNameScore ?? BestNameScore(a, b);
        var nameWeight = NameWeight(name);
        total += nameWeight;
        if (evidence is not null)
        {
            var detail = name > 0 ? NameDetail(a, b) : "no names to compare";
            evidence.Add(new Evidence("name", detail, nameWeight));
        }

        total += MiddleNameEvidence(a, b, evidence);
        total += DateEvidence(a.Record.DateOfBirth, b.Record.DateOfBirth, evidence);
        total += NationalityEvidence(a.Record.Nationalities, b.Record.Nationalities, evidence);
        total += GenderEvidence(a.Record.Gender, b.Record.Gender, evidence);
        total += IdentifierEvidence(a, b, evidence);
        total += NeighbourEvidence(a, b, evidence);
        var score = 1.0 / (1.0 + Math.Exp(-total));
        return new MatchProposal(a.Record.Id, b.Record.Id, Math.Round(score, 4), evidence ?? (IReadOnlyList<Evidence>)[]);
    }

    private static double BestNameScore(PreparedRecord a, PreparedRecord b)
    {
        var best = 0.0;
        foreach (var x in a.Names)
        {
            foreach (var y in b.Names)
            {
                best = Math.Max(best, NameMatcher.Score(x, y));
            }
        }

        return best;
    }

    /// <summary>
    /// Two full names (three parts or more each) that agree on all but one part disagree on a part both chose to
    /// write, most often the father's name: brothers' sons share given and family names, not fathers.
    /// </summary>
    private static double MiddleNameEvidence(PreparedRecord a, PreparedRecord b, List<Evidence>? evidence)
    {
        var best = (Score: 0.0, I: -1, J: -1);
        for (var i = 0; i < a.Names.Length; i++)
        {
            for (var j = 0; j < b.Names.Length; j++)
            {
                if (Math.Max(a.Names[i].Count, b.Names[j].Count) >= 3 && NameMatcher.Score(a.Names[i], b.Names[j]) is var score && score > best.Score)
                {
                    best = (score, i, j);
                }
            }
        }

        if (best.I < 0)
        {
            return 0;
        }

        var (textA, textB) = (a.NameTexts[best.I], b.NameTexts[best.J]);
        var explained = NameMatcher.Explain(a.Names[best.I], b.Names[best.J]); // parsed once, when the records were prepared
        var (countA, countB) = (a.Names[best.I].Count, b.Names[best.J].Count);
        var matched = explained.Parts.Count(p => p.Similarity >= 0.8);
        if (countA >= 3 && countB >= 3)
        {
            var parts = Math.Min(countA, countB);
            var (weight, detail) = matched >= parts
                ? (1.0, $"all {parts} parts of '{textA}' and '{textB}' agree")
                : (-2.5, $"'{textA}' and '{textB}' differ in a part both give (a father's name?)");
            evidence?.Add(new Evidence("name", detail, weight));
            return weight;
        }

        // A short name against a full one: the part left over should be the father's name, not the given name.
        var (longText, longTokens) = countA >= countB ? (textA, a.Names[best.I]) : (textB, b.Names[best.J]);
        var given = longTokens[GivenPart(longText) < longTokens.Count ? GivenPart(longText) : 0];
        if (explained.Unmatched.Contains(given.Original, StringComparer.Ordinal))
        {
            evidence?.Add(new Evidence("name", $"the given name '{given.Original}' of '{longText}' has no match in '{(ReferenceEquals(longText, textA) ? textB : textA)}'", -2.5));
            return -2.5;
        }

        return 0;
    }

    /// <summary>Which part is the given name: the first, unless the name is written family-first ("BENALI Karim").</summary>
    private static int GivenPart(string name)
    {
        var first = name.TrimStart().Split(' ', 2)[0];
        var familyFirst = first.Length > 1 && first.All(c => !char.IsLetter(c) || char.IsUpper(c)) && first.Any(char.IsAsciiLetter)
            && name.Any(char.IsLower);
        if (!familyFirst)
        {
            return 0;
        }

        // The family part may itself be several words in capitals ("EL HASSANI Fatima").
        return name.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(w => w.All(c => !char.IsLetter(c) || char.IsUpper(c))).Count() is var upper && upper > 0
            ? Math.Min(upper, NameParser.Parse(string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(upper))).Count)
            : 0;
    }

    private static string NameDetail(PreparedRecord a, PreparedRecord b)
    {
        var best = (Score: -1.0, A: string.Empty, B: string.Empty);
        foreach (var x in a.Record.Names)
        {
            foreach (var y in b.Record.Names)
            {
                var s = NameMatcher.Score(x, y);
                if (s > best.Score)
                {
                    best = (s, x, y);
                }
            }
        }

        var explained = NameMatcher.Explain(best.A, best.B);
        return $"'{best.A}' ~ '{best.B}' {explained.Score:0.00} ({explained.Summary})";
    }

    // The evidence functions below run for every candidate pair, most often without an explanation wanted (evidence
    // null): their words are written only when asked for, as formatting them for every pair cost a third of the
    // matching time and most of its garbage.
    private static double DateEvidence(PartialDate? a, PartialDate? b, List<Evidence>? evidence)
    {
        if (a is null || b is null)
        {
            return 0;
        }

        var (weight, reason) = DateWeight(a, b);
        evidence?.Add(new Evidence("date-of-birth", reason switch
        {
            DateReason.SlipOfAYear => $"{a} and {b} share day and month, one year apart (a clerical slip?)",
            DateReason.OneYearApart => $"{a} and {b} are one year apart",
            DateReason.Conflict => $"{a} and {b} conflict",
            DateReason.SameYear => $"{a} and {b} agree on the year",
            DateReason.Swapped => $"{a} and {b} agree with day and month swapped",
            DateReason.SameMonth => $"{a} and {b} agree on year and month",
            DateReason.OtherDay => $"{a} and {b} differ in the day",
            _ => $"same date of birth {a}",
        }, weight));
        return weight;
    }

    private enum DateReason
    {
        SlipOfAYear,
        OneYearApart,
        Conflict,
        SameYear,
        Swapped,
        SameMonth,
        OtherDay,
        Same,
    }

    private static (double Weight, DateReason Reason) DateWeight(PartialDate a, PartialDate b) =>
        DateWeight(a.Year, a.Month ?? 0, a.Day ?? 0, b.Year, b.Month ?? 0, b.Day ?? 0);

    /// <summary>
    /// Two dates of birth as numbers, 0 for an unknown month or day (valid ones never are 0, so equality and "is
    /// unknown" read as they do on the nullable parts); the candidate filter reads dates this way from flat facts.
    /// </summary>
    private static (double Weight, DateReason Reason) DateWeight(int aYear, int aMonth, int aDay, int bYear, int bMonth, int bDay)
    {
        if (aYear != bYear)
        {
            // One year apart is a common clerical slip: with day and month agreeing it still points to one person
            // (few share a birthday), with less known it counts a little against; more than a year is another person.
            var oneYear = Math.Abs(aYear - bYear) == 1;
            return oneYear && aDay != 0 && bDay != 0 && aMonth == bMonth && aDay == bDay
                ? (1.5, DateReason.SlipOfAYear)
                : oneYear && (aMonth == 0 || bMonth == 0 || (aMonth == bMonth && (aDay == 0 || bDay == 0)))
                    ? (-1.0, DateReason.OneYearApart)
                    : (-6.0, DateReason.Conflict);
        }

        if (aMonth == 0 || bMonth == 0)
        {
            return (2.5, DateReason.SameYear);
        }

        if (aMonth != bMonth)
        {
            // Day and month swapped (05/12 against 12/05), also when one side knows only the month.
            var swapped = (aDay == bMonth && (bDay == 0 || bDay == aMonth)) || (bDay == aMonth && (aDay == 0 || aDay == bMonth));
            return swapped ? (aDay != 0 && bDay != 0 ? 1.5 : 0.5, DateReason.Swapped) : (-5.0, DateReason.Conflict);
        }

        if (aDay == 0 || bDay == 0)
        {
            return (3.5, DateReason.SameMonth);
        }

        return aDay != bDay ? (-3.0, DateReason.OtherDay) : (6.0, DateReason.Same);
    }

    private static double NationalityEvidence(IReadOnlyList<string> a, IReadOnlyList<string> b, List<Evidence>? evidence)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var anyShared = false;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                anyShared |= string.Equals(x, y, StringComparison.OrdinalIgnoreCase);
            }
        }

        var weight = anyShared ? 0.5 : -1.5;
        if (evidence is not null)
        {
            var shared = a.Intersect(b, StringComparer.OrdinalIgnoreCase).ToList();
            evidence.Add(new Evidence("nationality", anyShared ? $"both {string.Join(", ", shared)}" : $"{string.Join(", ", a)} against {string.Join(", ", b)}", weight));
        }

        return weight;
    }

    private static double GenderEvidence(Gender a, Gender b, List<Evidence>? evidence)
    {
        if (a == Gender.Unknown || b == Gender.Unknown)
        {
            return 0;
        }

        var weight = a == b ? 0.3 : -5.0;
        evidence?.Add(new Evidence("gender", a == b ? $"both {a.ToString().ToLowerInvariant()}" : $"{a.ToString().ToLowerInvariant()} against {b.ToString().ToLowerInvariant()}", weight));
        return weight;
    }

    private static double IdentifierEvidence(PreparedRecord a, PreparedRecord b, List<Evidence>? evidence)
    {
        var total = 0.0;
        foreach (var key in a.Keys)
        {
            if (Array.IndexOf(b.Keys, key) < 0)
            {
                continue;
            }

            var weight = KeyWeight(key);
            total += weight;
            evidence?.Add(new Evidence("identifier", $"both hold {key}", weight));
        }

        // Two valid identifiers of one kind (and country) that differ: one character apart is a typo in one of them and
        // points to one person; two documents further apart are a renewed passport, or two people.
        foreach (var x in a.Record.Identifiers)
        {
            if (x.Normalised is null || x.Kind is not (IdentifierKind.Passport or IdentifierKind.IdentityCard or IdentifierKind.Phone or IdentifierKind.Iban))
            {
                continue;
            }

            for (var j = 0; j < b.Record.Identifiers.Count; j++)
            {
                var y = b.Record.Identifiers[j];
                if (y.Kind != x.Kind || y.Normalised is null || y.Country != x.Country || y.Normalised == x.Normalised || Array.IndexOf(a.Keys, b.IdentifierKeys[j]) >= 0)
                {
                    continue;
                }

                if (y.Normalised.Length == x.Normalised.Length && Differences(x.Normalised, y.Normalised) == 1)
                {
                    total += 3.0;
                    evidence?.Add(new Evidence("identifier", $"{Identifier.Wire(x.Kind)} {x.Normalised} and {y.Normalised} differ in one character (a typo?)", 3.0));
                }
                else if (x.Kind is IdentifierKind.Passport or IdentifierKind.IdentityCard)
                {
                    total -= 2.0;
                    evidence?.Add(new Evidence("identifier", $"different {Identifier.Wire(x.Kind)} numbers of {x.Country}: {x.Normalised} and {y.Normalised}", -2.0));
                }
            }
        }

        return total;
    }

    /// <summary>How much sharing an identifier says, by its kind (the key's prefix): documents most, then accounts, phones.</summary>
    private static double KeyWeight(string key) =>
        key.StartsWith("passport:", StringComparison.Ordinal) || key.StartsWith("identity-card:", StringComparison.Ordinal) ? 7.0
        : key.StartsWith("email:", StringComparison.Ordinal) || key.StartsWith("iban:", StringComparison.Ordinal) ? 6.0
        : key.StartsWith("phone:", StringComparison.Ordinal) ? 5.0
        : 4.0;

    private static int Differences(string x, string y)
    {
        var count = 0;
        for (var i = 0; i < x.Length; i++)
        {
            count += x[i] != y[i] ? 1 : 0;
        }

        return count;
    }

    private static bool SharesKey(PreparedRecord a, PreparedRecord b)
    {
        foreach (var key in a.Keys)
        {
            if (Array.IndexOf(b.Keys, key) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static double NeighbourEvidence(PreparedRecord a, PreparedRecord b, List<Evidence>? evidence)
    {
        if (a.Neighbours.Length == 0 || b.Neighbours.Length == 0)
        {
            return 0;
        }

        int count;
        if (evidence is null && (long)a.Neighbours.Length * b.Neighbours.Length <= 1024)
        {
            // Few neighbours (the usual case): count the first shared ones without building a set.
            count = 0;
            foreach (var x in a.Neighbours)
            {
                if (Array.IndexOf(b.Neighbours, x) >= 0 && ++count == 3)
                {
                    break;
                }
            }
        }
        else
        {
            var shared = a.Neighbours.Intersect(b.Neighbours, StringComparer.Ordinal).Take(3).ToList();
            count = shared.Count;
            if (count > 0)
            {
                evidence?.Add(new Evidence("neighbours", $"both linked to {string.Join(", ", shared)}", Math.Min(3.0, 1.5 * count)));
            }
        }

        return count == 0 ? 0 : Math.Min(3.0, 1.5 * count);
    }
}
