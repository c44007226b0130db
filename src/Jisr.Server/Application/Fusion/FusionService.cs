using System.Buffers.Binary;
using Jisr.Fusion.Identifiers;
using Jisr.Fusion.Resolution;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Jisr.Storage.Fusion;
using FusionGraph = Jisr.Fusion.Graph.LinkGraph;
using FusionLink = Jisr.Fusion.Resolution.EntityLink;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// Entity resolution, cross-reference and judgements over what the caller may read. Everything the pure core
/// (<see cref="EntityResolver"/>) sees comes from <see cref="FusionStore"/>, which reads only the persons, links and
/// judgements the caller may see: so a proposal, a hit or an explanation (a name, a neighbour, a count of look-alikes)
/// can only be built from what the caller may read. The policy decides who may run them and who may judge; every
/// run is audited with its declared purpose.
/// </summary>
public sealed class FusionService(FusionStore store, XrefJobStore jobs)
{
    public const string AgainstPartners = "partners";
    public const string AgainstAll = "all-own";

    /// <summary>Persons scored from which the world read is worth collecting before the state is written.</summary>
    private const int LargeWorld = 200_000;

    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    /// <summary>Proposed matches among the persons the caller may read, best first; confirmed pairs included, rejected ones never.</summary>
    public async Task<Outcome<FusionProposals>> ProposalsAsync(Principal caller, double? minScore, int? limit, string purpose, CancellationToken cancellationToken)
    {
        if (Refusal.Of(AccessPolicy.CanResolveEntities(caller), "entity resolution") is { } refused)
        {
            return refused;
        }

        var threshold = Threshold(minScore);
        var size = Size(limit);
        var world = await LoadAsync(caller, cancellationToken);
        var proposals = EntityResolver.Resolve(world.Records, world.Links, world.Decisions, new ResolutionOptions { Threshold = threshold });
        var ranked = proposals.OrderByDescending(p => p.Score).ThenBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal).ToList();
        await store.AuditReadAsync(caller, AuditActions.FusionProposals, AuditOutcomes.Success, purpose, $"{world.Records.Count} persons; {ranked.Count} proposals at {threshold:0.00}");
        return new FusionProposals([.. ranked.Take(size).Select(p => world.Proposal(p))], ranked.Count);
    }

    /// <summary>
    /// Cross-reference: the persons the caller's agency asserted itself against the persons it may read that came from
    /// partners (<see cref="AgainstPartners"/>), or against all it may read, its own included (<see cref="AgainstAll"/>).
    /// Ranked best first for each probe. <paramref name="progress"/> gets the probes done so far.
    /// </summary>
    public async Task<Outcome<XrefResult>> XrefAsync(
        Principal caller, string? against, double? minScore, string purpose, IProgress<XrefProgress>? progress, CancellationToken cancellationToken)
    {
        var scope = ParseAgainst(against);
        if (Refusal.Of(AccessPolicy.CanResolveEntities(caller), "cross-reference") is { } refused)
        {
            return refused;
        }

        var threshold = Threshold(minScore);

        // Incremental: the agency's last run of this scope and threshold is the base (the core compares only what
        // changed since, and answers exactly what a full run would for this caller); this run's state is the next base.
        var watermark = string.Create(CultureInfo.InvariantCulture, $"{scope};{threshold:R}");
        var (result, state) = await CrossReferenceAsync(caller, scope, threshold, watermark, progress, cancellationToken);

        // The persons scored are garbage from here on (2 GB at a million). A node collects them in the background,
        // neither blocking nor compacting (a compacting collection stops every thread), so its memory goes back while
        // its requests go on. A one-off command leaves them: it exits soon, and the state is saved in parts, so the heap
        // does not grow for it (a blocking collection here was 4 s of a million-person run).
        if (result.Probes + result.Targets >= LargeWorld && GCSettings.LatencyMode != GCLatencyMode.Batch)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false, compacting: false);
        }

        // Saved with read calls, as it was read: replacing the last state walks its 140 MB of overflow pages, which
        // through the memory map stayed resident in the process.
        await using (await store.WholeTableReadsAsync(cancellationToken))
        {
            await XrefStateTransfer.SaveAsync(state, bytes => jobs.SaveWatermarkAsync(caller.AgencyId, watermark, bytes, cancellationToken));
        }

        progress?.Report(new XrefProgress(result.Probes, result.Probes));
        await store.AuditReadAsync(caller, AuditActions.FusionXref, AuditOutcomes.Success, purpose, $"against {scope}: {result.Probes} x {result.Targets} persons ({result.Compared} compared, the rest unchanged since the last run); {result.Hits.Count} hits at {threshold:0.00}");
        return result;
    }

    /// <summary>
    /// The scoring of <see cref="XrefAsync"/>: its hits with their labels, and the state the next run starts from. A
    /// method of its own so that the world it read is unreachable once it returns.
    /// </summary>
    private async Task<(XrefResult Result, XrefState State)> CrossReferenceAsync(
        Principal caller, string scope, double threshold, string watermark, IProgress<XrefProgress>? progress, CancellationToken cancellationToken)
    {
        var world = await LoadScoredAsync(caller, cancellationToken);

        // Read after the world, into its id strings (two million persons' ids are 190 MB), part by part as it is parsed;
        // nothing keeps it once the core is done with its marks. The stored state (140 MB at a million) is read like the
        // whole tables, with read calls: through the node's memory map its pages stayed resident in the process.
        XrefState? previous;
        await using (await store.WholeTableReadsAsync(cancellationToken))
        {
            previous = await XrefStateTransfer.ReadAsync(jobs.WatermarkAsync(caller.AgencyId, watermark), world.Records, cancellationToken);
        }

        // One pass tells the agency's own persons (the probes) from the rest (the targets, unless all are): each id
        // parsed once (two million: seconds).
        List<PersonRecord> probes = [];
        var others = scope == AgainstAll ? null : new List<PersonRecord>();
        foreach (var record in world.Records)
        {
            if (world.Own.Contains(TypedId.Parse<EntityId>(record.Id)))
            {
                probes.Add(record);
            }
            else
            {
                others?.Add(record);
            }
        }

        var targets = (IReadOnlyList<PersonRecord>?)others ?? world.Records;
        progress?.Report(new XrefProgress(0, probes.Count));
        var run = EntityResolver.CrossReferenceIncremental(
            probes, targets, world.Links, world.Decisions, new ResolutionOptions { Threshold = threshold }, previous,
            progress is null ? null : new SynchronousProgress(done => progress.Report(new XrefProgress(done, probes.Count))));

        // Own against own finds each pair from both sides: keep it once.
        var kept = run.Hits.Where(h => !(world.Own.Contains(TypedId.Parse<EntityId>(h.B)) && string.CompareOrdinal(h.A, h.B) > 0))
            .OrderByDescending(h => h.Score).ThenBy(h => h.A, StringComparer.Ordinal).ThenBy(h => h.B, StringComparer.Ordinal).ToList();

        // The labels come from the read that was scored: the answer is what the caller could read at that moment.
        var found = kept.ConvertAll(h => new XrefHit(
            TypedId.Parse<EntityId>(h.A), world.Labels[h.A], TypedId.Parse<EntityId>(h.B), world.Labels[h.B], h.Score, h.Evidence,
            world.Judgements.GetValueOrDefault(new RecordPair(h.A, h.B))));
        return (new XrefResult(scope, probes.Count, targets.Count, found, run.Compared), run.State);
    }

    /// <summary>
    /// The persons of a cross-reference's hits, whole (for an answer that shows them, e.g. as JSON), read under the
    /// caller's filter now: a hit on a person hidden since the run is left out, as <see cref="XrefJobAsync"/> does.
    /// </summary>
    public async Task<IReadOnlyList<FusionProposal>> XrefProposalsAsync(Principal caller, IReadOnlyList<XrefHit> hits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var persons = await store.ReadableEntitiesAmongAsync(caller, [.. hits.SelectMany(h => new[] { h.A, h.B }).Distinct()], cancellationToken);
        return [.. hits.Where(h => persons.GetValueOrDefault(h.A) is Person && persons.GetValueOrDefault(h.B) is Person)
            .Select(h => new FusionProposal((Person)persons[h.A], (Person)persons[h.B], h.Score, h.Evidence, h.Judgement))];
    }

    /// <summary>
    /// The caller's cross-reference job. Its hits were what the caller could read when it ran: read now, a hit on a
    /// person they may no longer read (a partner's copy recalled, an agreement suspended) is left out, and the persons
    /// and judgements shown are today's.
    /// </summary>
    public async Task<Outcome<XrefJobView>> XrefJobAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(caller, id, cancellationToken);
        await store.AuditReadAsync(caller, AuditActions.FusionXref, job is null ? AuditOutcomes.NotFound : AuditOutcomes.Success, null, $"job {id}: {job?.Status ?? "not found"}");
        if (job is null)
        {
            return Refusal.NotFound($"cross-reference {id}");
        }

        if (job.HitsJson is null)
        {
            return new XrefJobView(job, null);
        }

        var stored = JsonSerializer.Deserialize<List<StoredHit>>(job.HitsJson, StoredHit.Json) ?? [];
        var readable = await store.ReadableEntitiesByIdAsync(caller, [.. stored.SelectMany(h => new[] { new EntityId(h.A), new EntityId(h.B) }).Distinct()], cancellationToken);
        var judgements = (await store.ShownJudgementsAsync(caller, cancellationToken))
            .ToDictionary(j => new RecordPair(j.FirstEntityId.ToString(), j.SecondEntityId.ToString()));
        var hits = stored
            .Where(h => readable.GetValueOrDefault(new EntityId(h.A)) is Person && readable.GetValueOrDefault(new EntityId(h.B)) is Person)
            .Select(h => new FusionProposal(
                (Person)readable[new EntityId(h.A)], (Person)readable[new EntityId(h.B)], h.Score, h.Evidence,
                judgements.GetValueOrDefault(new RecordPair(new EntityId(h.A).ToString(), new EntityId(h.B).ToString()))))
            .ToList();
        return new XrefJobView(job, hits);
    }

    /// <summary>An analyst confirms or rejects that two persons they may read are one; later runs respect it.</summary>
    public async Task<Outcome<MatchJudgement>> JudgeAsync(Principal caller, Guid a, Guid b, string? decision, string? note, int? version, CancellationToken cancellationToken)
    {
        var parsed = decision?.Trim().ToLowerInvariant() switch
        {
            "confirmed" or "confirm" => MatchDecision.Confirmed,
            "rejected" or "reject" => MatchDecision.Rejected,
            _ => throw DomainValidationException.Coded("decision", ValidationCodes.MustBeOneOf, "must be \"confirmed\" (one person) or \"rejected\" (two people)", "confirmed, rejected"),
        };
        if (a == b)
        {
            throw DomainValidationException.Coded("b", ValidationCodes.SamePerson, "a person cannot be judged against itself: give two different persons");
        }

        var found = await store.ReadableEntitiesByIdAsync(caller, [new EntityId(a), new EntityId(b)], cancellationToken);
        var what = $"person {(found.ContainsKey(new EntityId(a)) ? b : a)}";
        if (Refusal.Of(AccessPolicy.CanJudgeMatch(caller, found.GetValueOrDefault(new EntityId(a)), found.GetValueOrDefault(new EntityId(b))), what) is { } refused)
        {
            return refused;
        }

        return await store.JudgeAsync(caller, new EntityId(a), new EntityId(b), parsed, note, version, cancellationToken);
    }

    /// <summary>The judgements the caller is shown (their agency's, on persons they may read both of).</summary>
    public async Task<IReadOnlyList<MatchJudgement>> JudgementsAsync(Principal caller, CancellationToken cancellationToken)
    {
        var shown = await store.ShownJudgementsAsync(caller, cancellationToken);
        await store.AuditReadAsync(caller, AuditActions.FusionJudgementList, AuditOutcomes.Success, null, $"{shown.Count} judgements");
        return shown;
    }

    /// <summary>
    /// A person as one: the entity, every entity their agency confirmed to be the same person (directly or through
    /// others) that the caller may read, and the records the caller may read behind each.
    /// </summary>
    public async Task<Outcome<ResolvedPerson>> PersonAsync(Principal caller, Guid id, CancellationToken cancellationToken)
    {
        var entityId = new EntityId(id);
        var start = await store.ReadableEntitiesByIdAsync(caller, [entityId], cancellationToken);
        if (!start.TryGetValue(entityId, out var entity) || entity is not Person)
        {
            await store.AuditReadAsync(caller, AuditActions.FusionPerson, AuditOutcomes.NotFound, null, null, entityId);
            return Refusal.NotFound($"person {id}");
        }

        var confirmed = (await store.ShownJudgementsAsync(caller, cancellationToken)).Where(j => j.Decision == MatchDecision.Confirmed).ToList();
        var group = new HashSet<EntityId> { entityId };
        var queue = new Queue<EntityId>([entityId]);
        while (queue.TryDequeue(out var at))
        {
            foreach (var j in confirmed.Where(j => j.FirstEntityId == at || j.SecondEntityId == at))
            {
                var other = j.FirstEntityId == at ? j.SecondEntityId : j.FirstEntityId;
                if (group.Add(other))
                {
                    queue.Enqueue(other);
                }
            }
        }

        var persons = await store.ReadableEntitiesByIdAsync(caller, group, cancellationToken);
        var records = await store.ReadableRecordsMentioningAsync(caller, [.. persons.Keys], cancellationToken);
        await store.AuditReadAsync(caller, AuditActions.FusionPerson, AuditOutcomes.Success, null, $"{persons.Count} entities, {records.Values.Sum(r => r.Count)} records", entityId);
        return new ResolvedPerson(
            (Person)entity,
            [.. persons.Values.OfType<Person>().OrderBy(p => p.Id == entityId ? 0 : 1).ThenBy(p => p.Id)
                .Select(p => new ResolvedPart(p, records.GetValueOrDefault(p.Id) ?? [], confirmed.FirstOrDefault(j => (j.FirstEntityId == p.Id || j.SecondEntityId == p.Id) && group.Contains(j.FirstEntityId) && group.Contains(j.SecondEntityId))))]);
    }

    /// <summary>The persons, links and judgements the caller may see, in the core's terms.</summary>
    private async Task<FusionWorld> LoadAsync(Principal caller, CancellationToken cancellationToken)
    {
        var persons = await store.ReadablePersonsAsync(caller, cancellationToken);
        var links = await store.ReadableLinksAsync(caller, cancellationToken);
        var judgements = await store.ShownJudgementsAsync(caller, cancellationToken);
        return FusionWorld.Of(persons, links, judgements);
    }

    /// <summary>What a cross-reference scores: the persons the caller may read as rows (no entity objects), the ends of their links, the judgements shown.</summary>
    private async Task<FusionWorld> LoadScoredAsync(Principal caller, CancellationToken cancellationToken)
    {
        FusionPersonRows persons;
        List<GraphLinkRow> links;
        List<MatchJudgement> judgements;
        await using (await store.WholeTableReadsAsync(cancellationToken))
        {
            persons = await store.ReadablePersonRowsAsync(caller, cancellationToken);
            links = await store.ReadableLinkRowsAsync(caller, cancellationToken);
            judgements = await store.ShownJudgementsAsync(caller, cancellationToken);
        }

        return FusionWorld.Scored(persons, links, judgements);
    }

    public static string ParseAgainst(string? against) => against?.Trim().ToLowerInvariant() switch
    {
        null or "" or AgainstPartners => AgainstPartners,
        AgainstAll or "all" => AgainstAll,
        _ => throw DomainValidationException.Coded("against", ValidationCodes.MustBeOneOf, $"must be \"{AgainstPartners}\" (what partners released to you) or \"{AgainstAll}\" (everything you may read, your own included)", $"{AgainstPartners}, {AgainstAll}"),
    };

    private static double Threshold(double? minScore) => minScore switch
    {
        null => new ResolutionOptions().Threshold,
        > 0 and < 1 => minScore.Value,
        _ => throw DomainValidationException.Coded("minScore", ValidationCodes.BetweenExclusive, "must be between 0 and 1, exclusive (e.g. 0.5)", 0, 1),
    };

    private static int Size(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw DomainValidationException.Coded("limit", ValidationCodes.OutOfRange, $"must be between 1 and {MaxLimit}", 1, MaxLimit),
    };

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, late and out of order).</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

/// <summary>
/// What one caller may see, as the resolver reads it, and the way back from its ids to the persons. Persons and links
/// are put in one order (ids as strings, ordinal) whatever order the database returned them in, so an answer depends
/// only on what the caller may read: the same on SQLite and PostgreSQL, and reproducible by a reference model.
/// </summary>
public sealed class FusionWorld
{
    public required IReadOnlyList<PersonRecord> Records { get; init; }

    public required List<FusionLink> Links { get; init; }

    public required Dictionary<RecordPair, Judgement> Decisions { get; init; }

    public required Dictionary<string, Person> Persons { get; init; }

    /// <summary>Each person's label by id (the persons may be rows only: <see cref="Scored"/>).</summary>
    public required Dictionary<string, string> Labels { get; init; }

    public required Dictionary<RecordPair, MatchJudgement> Judgements { get; init; }

    public required IReadOnlySet<EntityId> Own { get; init; }

    public static FusionWorld Of(FusionPersons persons, IReadOnlyList<Link> links, IReadOnlyList<MatchJudgement> judgements)
    {
        var byId = persons.Persons.ToDictionary(p => p.Id.ToString(), StringComparer.Ordinal);
        var shown = judgements.ToDictionary(j => new RecordPair(j.FirstEntityId.ToString(), j.SecondEntityId.ToString()));
        return new FusionWorld
        {
            Records = [.. persons.Persons.Select(ToRecord).OrderBy(r => r.Id, StringComparer.Ordinal)],
            Links = ToLinks(links),
            Decisions = shown.ToDictionary(kv => kv.Key, kv => kv.Value.Decision == MatchDecision.Confirmed ? Judgement.Confirmed : Judgement.Rejected),
            Persons = byId,
            Labels = byId.ToDictionary(kv => kv.Key, kv => kv.Value.Label, StringComparer.Ordinal),
            Judgements = shown,
            Own = persons.Own,
        };
    }

    /// <summary>
    /// The same world from the rows a cross-reference scores (<see cref="Persons"/> empty, <see cref="Labels"/> from the
    /// rows); records and links in the same one order, so its hits are those of <see cref="Of"/>. The records are made
    /// on every core (identifiers normalised: a phone number is parsed).
    /// </summary>
    public static FusionWorld Scored(FusionPersonRows persons, IReadOnlyList<GraphLinkRow> links, IReadOnlyList<MatchJudgement> judgements)
    {
        var shown = judgements.ToDictionary(j => new RecordPair(j.FirstEntityId.ToString(), j.SecondEntityId.ToString()));
        var records = new PersonRecord[persons.Persons.Count];
        // An agency's id as one string for all its persons (a copy each was about 190 MB for 2,000,000 persons).
        var agencies = persons.Persons.Select(p => p.AgencyId).Distinct().ToDictionary(a => a, a => a.ToString());
        Parallel.For(0, records.Length, i => records[i] = ToRecord(persons.Persons[i], agencies[persons.Persons[i].AgencyId]));
        var labels = new Dictionary<string, string>(records.Length, StringComparer.Ordinal);
        for (var i = 0; i < records.Length; i++)
        {
            labels[records[i].Id] = persons.Persons[i].Label;
        }

        // In the order of the ids' text (the one order of every resolution), sorted on the ids' 128 bits: a Guid's bytes
        // big-endian are its text's hex digits in order, and comparing them does not read two strings per step (two
        // million persons: seconds on one core).
        var order = new UInt128[records.Length];
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < records.Length; i++)
        {
            persons.Persons[i].Id.Value.TryWriteBytes(bytes, bigEndian: true, out _);
            order[i] = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }

        Array.Sort(order, records);

        return new FusionWorld
        {
            Records = records,
            Links = [.. links.OrderBy(l => l.From.ToString(), StringComparer.Ordinal).ThenBy(l => l.To.ToString(), StringComparer.Ordinal)
                .ThenBy(l => l.Type).ThenBy(l => l.Id.ToString(), StringComparer.Ordinal)
                .Select(l => new FusionLink(l.From.ToString(), l.To.ToString(), EntityVocabulary.LinkTypes[l.Type]))],
            Decisions = shown.ToDictionary(kv => kv.Key, kv => kv.Value.Decision == MatchDecision.Confirmed ? Judgement.Confirmed : Judgement.Rejected),
            Persons = [],
            Labels = labels,
            Judgements = shown,
            Own = persons.Own,
        };
    }

    public FusionProposal Proposal(MatchProposal proposal) => new(
        Persons[proposal.A], Persons[proposal.B], proposal.Score, proposal.Evidence, Judgements.GetValueOrDefault(new RecordPair(proposal.A, proposal.B)));

    /// <summary>Links as the core reads them, in the one order (from, to, type, then the link's id).</summary>
    public static List<FusionLink> ToLinks(IEnumerable<Link> links) =>
        [.. links.OrderBy(l => l.FromEntityId.ToString(), StringComparer.Ordinal).ThenBy(l => l.ToEntityId.ToString(), StringComparer.Ordinal)
            .ThenBy(l => l.Type).ThenBy(l => l.Id.ToString(), StringComparer.Ordinal)
            .Select(l => new FusionLink(l.FromEntityId.ToString(), l.ToEntityId.ToString(), EntityVocabulary.LinkTypes[l.Type]))];

    /// <summary>A person entity as resolution reads it: names as written, identifiers normalised and checked.</summary>
    public static PersonRecord ToRecord(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return ToRecord(new PersonRow(
            person.Id, person.AgencyId, person.Label, [.. person.Names.Select(n => n.Text)], person.DateOfBirth, person.Nationalities,
            [.. person.Identifiers.Select(i => new IdentifierRow(i.Kind, i.Value, i.Country))], person.Gender), person.AgencyId.ToString());
    }

    /// <summary>The same from the columns a cross-reference reads; <paramref name="agency"/> is the row's agency id as text.</summary>
    public static PersonRecord ToRecord(PersonRow person, string agency) => new(
        person.Id.ToString(),
        agency,
        person.Names,
        person.DateOfBirth,
        person.Nationalities,
        // An array of the exact size: a list behind a read-only wrapper weighed 56 bytes more per person.
        person.Identifiers.Select(i => Identifier.ParseKind(i.Kind) is { } kind ? IdentifierNormaliser.Normalise(kind, i.Value, i.Country) : null).OfType<Identifier>().ToArray(),
        person.Gender);
}

/// <summary>A proposed match between two persons the caller may read: score, evidence and the agency's judgement if any.</summary>
public sealed record FusionProposal(Person A, Person B, double Score, IReadOnlyList<Evidence> Evidence, MatchJudgement? Judgement);

/// <summary>Proposals best first (at most the limit asked) and how many there were in all.</summary>
public sealed record FusionProposals(IReadOnlyList<FusionProposal> Items, int Total);

public sealed record XrefResult(string Against, int Probes, int Targets, IReadOnlyList<XrefHit> Hits, int Compared);

/// <summary>A cross-reference hit: the two persons by id and label, the score, its evidence and the agency's judgement if any.</summary>
public sealed record XrefHit(EntityId A, string LabelA, EntityId B, string LabelB, double Score, IReadOnlyList<Evidence> Evidence, MatchJudgement? Judgement);

/// <summary>A job as its owner sees it: where it stands, and when done the hits whose two persons they may read now.</summary>
public sealed record XrefJobView(XrefJobRow Job, IReadOnlyList<FusionProposal>? Hits);

public readonly record struct XrefProgress(int Done, int Total);

/// <summary>One person as the agency resolved them: each entity confirmed to be them, with its records and the judgement that joined it.</summary>
public sealed record ResolvedPerson(Person Person, IReadOnlyList<ResolvedPart> Parts);

public sealed record ResolvedPart(Person Person, IReadOnlyList<Record> Records, MatchJudgement? JoinedBy);
