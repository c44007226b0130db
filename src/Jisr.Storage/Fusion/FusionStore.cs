namespace Jisr.Storage.Fusion;

/// <summary>
/// What entity resolution, cross-reference and the link graph's analytics work on, read for one caller: the persons
/// and entities they may read (<see cref="ReadableSets"/>), the links of the records they may read, and their agency's
/// judgements on pairs they may see both sides of. Nothing else is fetched, so nothing the caller may not see can
/// reach a proposal, a hit, a path or a cell. Judgements are written here with their audit entry in one transaction.
/// </summary>
public sealed class FusionStore(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// The persons the caller may read, and which of them their agency asserted itself (mentioned by a readable record
    /// the agency originated, as against one only in copies partners released to it).
    /// </summary>
    public async Task<FusionPersons> ReadablePersonsAsync(Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var persons = await db.ReadableEntities(principal, time).OfType<Person>().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var ownRecords = db.ReadableRecords(principal, time).Where(r => r.OriginatorAgencyId == principal.AgencyId);
        var own = await db.Mentions.AsNoTracking()
            .Where(m => ownRecords.Any(r => r.Id == m.RecordId))
            .Select(m => m.EntityId).Distinct().ToListAsync(cancellationToken);
        return new FusionPersons(persons, own.ToHashSet());
    }

    /// <summary>The entities among <paramref name="ids"/> the caller may read (unknown and hidden ids are simply absent).</summary>
    public async Task<Dictionary<EntityId, Entity>> ReadableEntitiesByIdAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await db.ReadableEntities(principal, time).Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);

    /// <summary>Every entity the caller may read (graph nodes and their labels).</summary>
    public Task<List<Entity>> ReadableEntitiesAsync(Principal principal, CancellationToken cancellationToken) =>
        db.ReadableEntities(principal, time).OrderBy(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>The version of records, entities and links in this database as this process changed them (<see cref="DataChanges"/>).</summary>
    public long DataVersion => DataChanges.VersionOf(db);

    /// <summary>The ids of every entity the caller may read (what decides which graph they are shown), in no order.</summary>
    public Task<List<EntityId>> ReadableEntityIdsAsync(Principal principal, CancellationToken cancellationToken) =>
        db.ReadableEntities(principal, time).Select(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>The links asserted by records the caller may read (both ends are then readable: a link joins entities its record mentions).</summary>
    public Task<List<Link>> ReadableLinksAsync(Principal principal, CancellationToken cancellationToken)
    {
        var readable = db.ReadableRecords(principal, time);
        return db.Links.AsNoTracking().Where(l => readable.Any(r => r.Id == l.RecordId)).OrderBy(l => l.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The part of the caller's link graph within <paramref name="depth"/> steps of <paramref name="centre"/>, read from
    /// the database one ring at a time (the links of readable records touching the last ring, then the readable
    /// entities at their other ends), so a query costs what it reaches, not the whole graph. Expansion stops early once
    /// more than <paramref name="maxNodes"/> entities are reached, where <c>LinkGraph.Neighbourhood</c> stops too.
    /// Every link touching an entity of an inner ring is here; the entities of the outermost ring are not expanded, so
    /// the links among them are fetched separately (<see cref="ReadableLinksAmongAsync"/>). Null when the centre is not readable.
    /// </summary>
    public async Task<GraphSlice?> ReadableNeighbourhoodAsync(Principal principal, EntityId centre, int depth, int maxNodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var entities = await ReadableEntitiesAmongAsync(principal, [centre], cancellationToken);
        if (entities.Count == 0)
        {
            return null;
        }

        var links = new Dictionary<Guid, Link>();
        List<EntityId> ring = [centre];
        for (var d = 1; d <= depth && ring.Count > 0 && entities.Count <= maxNodes; d++)
        {
            var touching = await ReadableLinksTouchingAsync(principal, ring, cancellationToken);
            var ends = new HashSet<EntityId>();
            foreach (var link in touching)
            {
                links.TryAdd(link.Id, link);
                if (!entities.ContainsKey(link.FromEntityId))
                {
                    ends.Add(link.FromEntityId);
                }

                if (!entities.ContainsKey(link.ToEntityId))
                {
                    ends.Add(link.ToEntityId);
                }
            }

            var found = await ReadableEntitiesAmongAsync(principal, ends, cancellationToken);
            foreach (var (id, entity) in found)
            {
                entities[id] = entity;
            }

            ring = [.. found.Keys];
        }

        return new GraphSlice(entities, [.. links.Values], ring);
    }

    /// <summary>
    /// The part of the caller's link graph a shortest path between <paramref name="from"/> and <paramref name="to"/>
    /// (both readable, distinct) is searched in, read from the database one ring at a time: the same search as
    /// <c>LinkGraph.ShortestPath</c>, from both ends, each step expanding the smaller frontier (the links of readable
    /// records touching it, then the readable entities at their other ends), stopping once the two searches meet, a
    /// frontier runs dry or <paramref name="maxLength"/> steps are taken. Every expanded entity has all its readable
    /// links here, so that search run on this slice expands the same entities in the same order and finds the same path.
    /// </summary>
    public async Task<GraphSlice> ReadablePathSliceAsync(Principal principal, Entity from, Entity to, int maxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var entities = new Dictionary<EntityId, Entity> { [from.Id] = from, [to.Id] = to };
        var links = new Dictionary<Guid, Link>();
        var hidden = new HashSet<EntityId>();
        HashSet<EntityId> seenFrom = [from.Id], seenTo = [to.Id];
        List<EntityId> frontFrom = [from.Id], frontTo = [to.Id];
        for (var step = 0; step < maxLength && frontFrom.Count > 0 && frontTo.Count > 0 && from.Id != to.Id; step++)
        {
            var expandFrom = frontFrom.Count <= frontTo.Count;
            var (front, mine, theirs) = expandFrom ? (frontFrom, seenFrom, seenTo) : (frontTo, seenTo, seenFrom);
            var ends = new HashSet<EntityId>();
            foreach (var link in await ReadableLinksTouchingAsync(principal, front, cancellationToken))
            {
                links.TryAdd(link.Id, link);
                foreach (var end in new[] { link.FromEntityId, link.ToEntityId })
                {
                    if (!mine.Contains(end) && !hidden.Contains(end))
                    {
                        ends.Add(end);
                    }
                }
            }

            // Only readable ends join the search, as only they are nodes of the caller's graph.
            var unknown = ends.Where(id => !entities.ContainsKey(id)).ToList();
            var found = await ReadableEntitiesAmongAsync(principal, unknown, cancellationToken);
            foreach (var id in unknown)
            {
                if (found.TryGetValue(id, out var entity))
                {
                    entities[id] = entity;
                }
                else
                {
                    hidden.Add(id);
                }
            }

            var next = ends.Where(entities.ContainsKey).ToList();
            mine.UnionWith(next);
            if (next.Any(theirs.Contains))
            {
                break;
            }

            if (expandFrom)
            {
                frontFrom = next;
            }
            else
            {
                frontTo = next;
            }
        }

        return new GraphSlice(entities, [.. links.Values], []);
    }

    /// <summary>The entities among <paramref name="ids"/> the caller may read, the ids sent as one parameter however many (a ring may hold thousands).</summary>
    private async Task<Dictionary<EntityId, Entity>> ReadableEntitiesAmongAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var list = ids.ToList();
        return await db.ReadableEntities(principal, time).Where(e => EF.Parameter(list).Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
    }

    /// <summary>The links of records the caller may read with either end among <paramref name="ids"/>.</summary>
    public Task<List<Link>> ReadableLinksTouchingAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken)
    {
        var readable = db.ReadableRecords(principal, time);
        var list = ids.ToList();
        return db.Links.AsNoTracking()
            .Where(l => EF.Parameter(list).Contains(l.FromEntityId) || EF.Parameter(list).Contains(l.ToEntityId))
            .Where(l => readable.Any(r => r.Id == l.RecordId)).ToListAsync(cancellationToken);
    }

    /// <summary>The links of records the caller may read with both ends among <paramref name="ids"/>.</summary>
    public Task<List<Link>> ReadableLinksAmongAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken)
    {
        var readable = db.ReadableRecords(principal, time);
        var list = ids.ToList();
        return db.Links.AsNoTracking()
            .Where(l => EF.Parameter(list).Contains(l.FromEntityId) && EF.Parameter(list).Contains(l.ToEntityId))
            .Where(l => readable.Any(r => r.Id == l.RecordId)).ToListAsync(cancellationToken);
    }

    /// <summary>The ids of the records the caller may read that mention each of <paramref name="entityIds"/>, newest first.</summary>
    public async Task<Dictionary<EntityId, List<Record>>> ReadableRecordsMentioningAsync(Principal principal, IReadOnlyCollection<EntityId> entityIds, CancellationToken cancellationToken)
    {
        var readable = db.ReadableRecords(principal, time);
        var rows = await db.Mentions.AsNoTracking()
            .Where(m => entityIds.Contains(m.EntityId))
            .Join(readable, m => m.RecordId, r => r.Id, (m, r) => new { m.EntityId, Record = r })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(x => x.EntityId).ToDictionary(g => g.Key, g => g.Select(x => x.Record).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id).ToList());
    }

    /// <summary>The judgements the caller is shown: their agency's, on pairs whose two persons they may read (<see cref="AccessPolicy.JudgementShownRule"/>).</summary>
    public Task<List<MatchJudgement>> ShownJudgementsAsync(Principal principal, CancellationToken cancellationToken) =>
        db.MatchJudgements.AsNoTracking()
            .Where(AccessPolicy.ShownJudgements(principal, db.ReadableEntities(principal, time)))
            .OrderBy(j => j.JudgedAt).ThenBy(j => j.Id)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Stores the caller's decision on the pair (the caller checked <see cref="AccessPolicy.CanJudgeMatch"/>): a new
    /// judgement, or a new decision on their agency's judgement of that pair, with its audit entry in one transaction.
    /// With <paramref name="expectedVersion"/> the change applies only to the judgement the analyst saw; two analysts
    /// judging one pair at once: the second gets a conflict (409) and the audit log keeps both attempts' outcome.
    /// </summary>
    public async Task<MatchJudgement> JudgeAsync(
        Principal principal, EntityId a, EntityId b, MatchDecision decision, string? note, int? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = time.GetUtcNow();
        var (first, second) = MatchJudgement.Order(a, b);
        var judgement = await db.MatchJudgements.FirstOrDefaultAsync(
            j => j.AgencyId == principal.AgencyId && j.FirstEntityId == first && j.SecondEntityId == second, cancellationToken);
        if (expectedVersion is { } expected && (judgement?.Version ?? 0) != expected)
        {
            throw new DomainStateException(judgement is null
                ? $"this pair has no judgement yet (version 0), not version {expected}: reload it and decide again"
                : $"this pair was judged again since you looked ({judgement.Decision.ToString().ToLowerInvariant()}, version {judgement.Version}, at {judgement.JudgedAt:u}): reload it and decide again");
        }

        if (judgement is null)
        {
            judgement = MatchJudgement.Create(principal.AgencyId, a, b, decision, principal.UserId, note, now);
            db.MatchJudgements.Add(judgement);
        }
        else
        {
            judgement.Decide(decision, principal.UserId, note, now);
        }

        var detail = $"{first} {second} {decision.ToString().ToLowerInvariant()} (version {judgement.Version})";
        try
        {
            await audit.SaveWithAuditAsync(db, CallerEvents.For(principal, AuditActions.FusionJudge, null, AuditOutcomes.Success, detail: detail, targetType: AuditTargets.MatchJudgement, targetId: judgement.Id.ToString("D")), cancellationToken);
        }
        catch (DbUpdateException exception) when (StorageErrors.IsUniqueViolation(exception, "MatchJudgements"))
        {
            db.ChangeTracker.Clear();
            throw new DomainStateException("another analyst judged this pair at the same moment: reload it and decide again");
        }

        return judgement;
    }

    /// <summary>Appends the audit entry of a fusion or graph read (group-committed, like every read).</summary>
    public Task AuditReadAsync(Principal principal, string action, string outcome, string? purpose, string? detail, EntityId? about = null) =>
        audit.AppendAsync(CallerEvents.For(principal, action, null, outcome, purpose, detail, about is null ? null : AuditTargets.Entity, about?.ToString()));
}

/// <summary>The persons a caller may read, and the ids of those their own agency asserted.</summary>
public sealed record FusionPersons(IReadOnlyList<Person> Persons, IReadOnlySet<EntityId> Own);

/// <summary>
/// Readable entities around a centre and the readable links touching all but the outermost ring
/// (<see cref="FusionStore.ReadableNeighbourhoodAsync"/>); <see cref="OuterRing"/> is that ring, not expanded.
/// </summary>
public sealed record GraphSlice(Dictionary<EntityId, Entity> Entities, List<Link> Links, IReadOnlyList<EntityId> OuterRing);
