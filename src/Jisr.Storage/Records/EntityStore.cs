namespace Jisr.Storage.Records;

/// <summary>
/// Reads of entities: one entity, the list, the records that mention one, and the readable ones among given ids (the
/// entities a new record refers to, the subject of a notice, the candidates of a name match). Each query starts from
/// the entities the caller may read (<see cref="ReadableSets"/>, or its rules compiled in <see cref="CompiledEntityReads"/>
/// for the single read and the name match's candidates); reads and name searches leave an audit entry. On SQLite the
/// name match's candidate read runs on a read lane (<see cref="SqliteReadLanes"/>), its statement kept prepared.
/// </summary>
public sealed class EntityStore(JisrDbContext db, AuditLog audit, TimeProvider time, SqliteReadLanes? lanes = null)
{
    public async Task<Entity?> ReadAsync(Principal principal, EntityId id, CancellationToken cancellationToken)
    {
        var entity = await CompiledEntityReads.ReadableEntityAsync(db, principal, id, time.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.EntityRead, null, entity is null ? AuditOutcomes.NotFound : AuditOutcomes.Success, targetType: AuditTargets.Entity, targetId: id.ToString()));
        return entity;
    }

    /// <summary>By label, then id; all types, or only <paramref name="type"/>.</summary>
    public async Task<Page<Entity>> ListAsync(Principal principal, EntityType? type, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var query = db.ReadableEntities(principal, time);
        if (type is { } t)
        {
            var discriminator = EntityVocabulary.Types[t];
            query = query.Where(e => EF.Property<string>(e, "EntityType") == discriminator);
        }

        var page = await Paging.ByOffsetAsync(query.OrderBy(e => e.Label).ThenBy(e => e.Id), cursor, limit, cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.EntityList, null, AuditOutcomes.Success, detail: $"{page.Items.Count} entities"));
        return page;
    }

    /// <summary>The records the caller may read that mention the entity, newest first.</summary>
    public async Task<Page<Record>> RecordsMentioningAsync(Principal principal, EntityId entityId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var query = db.ReadableRecords(principal, time).Where(r => r.Mentions.Any(m => m.EntityId == entityId));
        var page = await Paging.NewestFirstAsync(query, cursor, limit, cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.EntityRecords, null, AuditOutcomes.Success, targetType: AuditTargets.Entity, targetId: entityId.ToString(), detail: $"{page.Items.Count} records"));
        return page;
    }

    /// <summary>Entities by id, limited to those the caller may read (unknown and hidden ids are simply absent).</summary>
    public async Task<Dictionary<EntityId, Entity>> ReadableByIdAsync(Principal principal, IReadOnlyCollection<EntityId> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? []
            : await db.ReadableEntities(principal, time).Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);

    /// <summary>
    /// The first <paramref name="wanted"/> persons of <paramref name="ranked"/> (best first) that the caller may read,
    /// with any others the check met on the way: the ids are checked in growing slices (what is wanted, then four times
    /// more each round) until enough are found, so a node with one large agency does not load two hundred persons to
    /// answer ten, and a caller who may see the best candidates (the common case) has them in one read of exactly as many.
    /// The first <paramref name="wanted"/> readable ones are exactly those a check of every id would give.
    /// The name search and its purpose are audited once, with how many readable candidates were checked.
    /// </summary>
    public async Task<Dictionary<EntityId, Person>> FirstReadablePersonsAsync(Principal principal, IReadOnlyList<EntityId> ranked, int wanted, string query, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var persons = new Dictionary<EntityId, Person>();
        var checkedIds = 0;
        var slice = Math.Max(wanted, 1);
        while (checkedIds < ranked.Count && persons.Count < wanted)
        {
            var ids = ranked.Skip(checkedIds).Take(slice).ToList();
            checkedIds += ids.Count;
            // A profile of the match endpoint put a fifth of this read in SQLite compiling the statement anew for each
            // request (its policy subqueries make it long): on a lane the compiled statement is reused.
            var found = lanes is null
                ? await ReadablePersonsAmongAsync(db, principal, ids, cancellationToken)
                : await lanes.RunAsync(db, lane => ReadablePersonsAmongAsync(lane, principal, ids, cancellationToken));
            foreach (var person in found)
            {
                persons[person.Id] = person;
            }

            slice *= 4;
        }

        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.PersonMatch, null, AuditOutcomes.Success, purpose, $"name={query}; {persons.Count} visible candidates"));
        return persons;
    }

    /// <summary>The persons among <paramref name="ids"/> that <paramref name="principal"/> may read, on <paramref name="context"/> (a compiled query).</summary>
    private async Task<List<Person>> ReadablePersonsAmongAsync(JisrDbContext context, Principal principal, List<EntityId> ids, CancellationToken cancellationToken)
    {
        var persons = new List<Person>(ids.Count);
        await foreach (var person in CompiledEntityReads.ReadableAmong(context, principal, ids, time.GetUtcNow()).WithCancellation(cancellationToken))
        {
            persons.Add(person);
        }

        return persons;
    }

    /// <summary>The persons among <paramref name="ids"/> the caller may read; the name search and its purpose are audited.</summary>
    public async Task<Dictionary<EntityId, Person>> ReadablePersonsAsync(Principal principal, IReadOnlyCollection<EntityId> ids, string query, string purpose, CancellationToken cancellationToken)
    {
        var persons = ids.Count == 0
            ? []
            : await db.ReadableEntities(principal, time).OfType<Person>().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.PersonMatch, null, AuditOutcomes.Success, purpose, $"name={query}; {persons.Count} visible candidates"));
        return persons;
    }
}
