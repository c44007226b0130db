using Jisr.Domain.Entities;
using Jisr.Domain.Records;
using Jisr.Policy;
using Jisr.Storage.Audit;
using Jisr.Storage.Configurations;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Records;

/// <summary>One page of a list: the items and the cursor of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// Every read and write of records and entities. Each query starts from the policy filter for the caller
/// (<see cref="AccessPolicy"/>), so nothing the caller may not see is ever fetched; every read, write and
/// search leaves an audit entry.
/// </summary>
public sealed class RecordStore(JisrDbContext db, AuditLog audit, EntityCache entityCache, TimeProvider time)
{
    public const int MaxPageSize = 200;


    /// <summary>The records <paramref name="principal"/> may read: the starting point of every record query.</summary>
    public IQueryable<Record> Readable(Principal principal) =>
        db.Records.AsNoTracking().Where(AccessPolicy.ReadableRecords(principal, time.GetUtcNow(), db.Agreements));

    /// <summary>The entities <paramref name="principal"/> may read: the starting point of every entity query.</summary>
    public IQueryable<Entity> ReadableEntities(Principal principal) =>
        db.Entities.AsNoTracking().Where(AccessPolicy.ReadableEntities(principal, time.GetUtcNow(), db.Mentions, db.Records, db.Agreements));

    /// <summary>
    /// A record with what it asserts, or null when it does not exist or the caller may not see it (the two are
    /// indistinguishable). An export names its own audit action and carries the declared purpose.
    /// </summary>
    public async Task<RecordDetails?> ReadAsync(Principal principal, Guid id, CancellationToken cancellationToken, string action = "record.read", string? purpose = null)
    {
        var record = await CompiledReads.RecordByIdAsync(db, id, principal, time.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(Event(principal, action, id, record is null ? "not-found" : "success", purpose));
        if (record is null)
        {
            return null;
        }

        var entities = await entityCache.MentionedByReadableRecordAsync(record.Mentions.Select(m => m.EntityId), ids => CompiledReads.MentionedEntities(db, ids), cancellationToken);
        var recipients = record.Marking.Tlp == Domain.Markings.Tlp.Red ? await CompiledReads.RecipientsOf(db, id, cancellationToken) : [];
        return new RecordDetails(record, entities, recipients);
    }

    /// <summary>Newest first; <paramref name="cursor"/> is the <see cref="Page{T}.Next"/> of the previous page.</summary>
    public async Task<Page<Record>> ListAsync(Principal principal, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var page = await PageAsync(Readable(principal), cursor, limit, cancellationToken);
        await audit.AppendAsync(Event(principal, "record.list", null, "success", detail: $"{page.Items.Count} records"));
        return page;
    }

    /// <summary>Full-text search within what the caller may read; the declared purpose is kept in the audit log.</summary>
    public async Task<Page<Record>> SearchAsync(Principal principal, string query, string purpose, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var tokens = SearchText.Tokens(query);
        var matches = db.MatchSearchText(tokens);
        var page = tokens.Count == 0
            ? new Page<Record>([], null)
            : await PageAsync(Readable(principal).Where(r => matches.Contains(r.Id)), cursor, limit, cancellationToken);
        await audit.AppendAsync(Event(principal, "search", null, "success", purpose, $"q={query}; {page.Items.Count} results"));
        return page;
    }

    /// <summary>Stores a new record with its new entities; the record, its entities, its search text and its audit entry commit together.</summary>
    public async Task CreateAsync(Principal principal, Record record, IReadOnlyList<Entity> newEntities, IReadOnlyList<Entity> allEntities, CancellationToken cancellationToken)
    {
        var searchText = SearchText.Of(record, allEntities);
        await audit.AppendAsync(Event(principal, "record.create", record.Id, "success"), batch =>
        {
            batch.Entities.AddRange(newEntities);
            batch.Records.Add(record);
            batch.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = searchText;
        });
    }

    /// <summary>
    /// A tracked record for changing or releasing, with what a release copy needs (entities, links, the agreement a
    /// copy came under) and what in-memory policy checks read (recipients); null when missing or not readable.
    /// </summary>
    public Task<Record?> FindForUpdateAsync(Principal principal, Guid id, CancellationToken cancellationToken) =>
        db.Records.Where(AccessPolicy.ReadableRecords(principal, time.GetUtcNow(), db.Agreements))
            .Include(r => r.ReleasedUnder)
            .Include(r => r.Mentions)
            .Include(r => r.Links)
            .Include(r => r.Recipients)
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>Saves changes made to a record from <see cref="FindForUpdateAsync"/>, with new entities, in one transaction with the audit entry.</summary>
    public async Task UpdateAsync(Principal principal, Record record, IReadOnlyList<Entity> newEntities, IReadOnlyList<Entity> allEntities, CancellationToken cancellationToken)
    {
        db.Entities.AddRange(newEntities);
        db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, allEntities);
        await audit.SaveWithAuditAsync(db, Event(principal, "record.update", record.Id, "success"), cancellationToken);
    }

    public async Task DeleteAsync(Principal principal, Record record, CancellationToken cancellationToken, string? reason = null)
    {
        db.Records.Remove(record);
        await audit.SaveWithAuditAsync(db, Event(principal, "record.delete", record.Id, "success", detail: reason is null ? null : $"reason={reason}"), cancellationToken);
    }

    /// <summary>The caller's records due for review (review date reached), newest first.</summary>
    public async Task<Page<Record>> ReviewQueueAsync(Principal principal, DateOnly today, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var page = await PageAsync(Readable(principal).Where(r => r.ReviewDate <= today), cursor, limit, cancellationToken);
        await audit.AppendAsync(Event(principal, "review.queue", null, "success", detail: $"{page.Items.Count} records"));
        return page;
    }

    /// <summary>Saves a review extension made on a record from <see cref="FindForUpdateAsync"/>, with the reviewer's reason in the audit entry.</summary>
    public Task SaveReviewAsync(Principal principal, Record record, string reason, CancellationToken cancellationToken) =>
        audit.SaveWithAuditAsync(db, Event(principal, "record.review.extend", record.Id, "success", detail: $"next review {record.ReviewDate:yyyy-MM-dd}; reason={reason}"), cancellationToken);

    /// <summary>Entities by id, limited to those the caller may read (unknown and hidden ids are simply absent).</summary>
    public async Task<Dictionary<Guid, Entity>> ReadableEntitiesByIdAsync(Principal principal, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? []
            : await ReadableEntities(principal).Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);

    /// <summary>The persons among <paramref name="ids"/> the caller may read; the name search and its purpose are audited.</summary>
    public async Task<Dictionary<Guid, Person>> ReadablePersonsAsync(Principal principal, IReadOnlyCollection<Guid> ids, string query, string purpose, CancellationToken cancellationToken)
    {
        var persons = ids.Count == 0
            ? []
            : await ReadableEntities(principal).OfType<Person>().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        await audit.AppendAsync(Event(principal, "person.match", null, "success", purpose, $"name={query}; {persons.Count} visible candidates"));
        return persons;
    }

    /// <summary>
    /// Everything the caller's agency holds on one person, for a data-subject access request: the person, the records
    /// that mention them and the caller may read, the links involving them in those records, the releases of those
    /// records to partners, the notices about them the agency issued or received, and the audit entries about the
    /// person, those records and those notices. Null when the person is not visible to the caller.
    /// </summary>
    public async Task<SubjectAccess?> SubjectAccessAsync(Principal principal, Guid personId, string purpose, CancellationToken cancellationToken)
    {
        const int MaxItems = 10_000;
        var person = await ReadableEntities(principal).OfType<Person>().FirstOrDefaultAsync(p => p.Id == personId, cancellationToken);
        await audit.AppendAsync(Event(principal, "subject-access.export", null, person is null ? "not-found" : "success", purpose, targetType: "entity", targetId: personId.ToString("D")));
        if (person is null)
        {
            return null;
        }

        var records = await Readable(principal).Where(r => r.Mentions.Any(m => m.EntityId == personId))
            .OrderBy(r => r.CreatedAt).Take(MaxItems).ToListAsync(cancellationToken);
        var recordIds = records.Select(r => r.Id).ToList();
        var links = await db.Links.AsNoTracking()
            .Where(l => recordIds.Contains(l.RecordId) && (l.FromEntityId == personId || l.ToEntityId == personId))
            .OrderBy(l => l.Id).Take(MaxItems).ToListAsync(cancellationToken);
        var releases = await db.Releases.AsNoTracking().Where(AccessPolicy.VisibleReleases(principal))
            .Where(r => recordIds.Contains(r.RecordId)).OrderBy(r => r.RequestedAt).Take(MaxItems).ToListAsync(cancellationToken);
        var notices = await db.Notices.AsNoTracking().Where(AccessPolicy.VisibleNotices(principal, time.GetUtcNow(), db.Agreements))
            .Where(n => n.SubjectEntityId == personId).OrderBy(n => n.CreatedAt).Take(MaxItems).ToListAsync(cancellationToken);
        var targets = recordIds.Concat(notices.Select(n => n.Id)).Select(id => id.ToString("D")).Append(personId.ToString("D")).ToList();
        var entries = await db.AuditLog.AsNoTracking()
            .Where(e => e.AgencyId == principal.AgencyId && e.TargetId != null && targets.Contains(e.TargetId))
            .OrderBy(e => e.Sequence).Take(MaxItems).ToListAsync(cancellationToken);
        return new SubjectAccess(person, records, links, releases, notices, entries);
    }

    public async Task<Entity?> ReadEntityAsync(Principal principal, Guid id, CancellationToken cancellationToken)
    {
        var entity = await ReadableEntities(principal).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        await audit.AppendAsync(Event(principal, "entity.read", null, entity is null ? "not-found" : "success", targetType: "entity", targetId: id.ToString("D")));
        return entity;
    }

    public async Task<Page<Entity>> ListEntitiesAsync(Principal principal, EntityType? type, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var query = ReadableEntities(principal);
        if (type is { } t)
        {
            var discriminator = EntityVocabulary.Types[t];
            query = query.Where(e => EF.Property<string>(e, "EntityType") == discriminator);
        }

        var offset = ParseCursor(cursor);
        var size = Math.Clamp(limit, 1, MaxPageSize);
        var items = await query.OrderBy(e => e.Label).ThenBy(e => e.Id).Skip((int)Math.Min(offset, int.MaxValue)).Take(size + 1).ToListAsync(cancellationToken);
        await audit.AppendAsync(Event(principal, "entity.list", null, "success", detail: $"{Math.Min(items.Count, size)} entities"));
        return new Page<Entity>(items.Take(size).ToList(), items.Count > size ? (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// One step of the link graph: the links that touch the entity in records the caller may read, with the entity at
    /// the other end. Null when the entity is not visible. The graph query and its declared purpose are audited.
    /// </summary>
    public async Task<EntityNeighbours?> NeighboursAsync(Principal principal, Guid entityId, string purpose, CancellationToken cancellationToken)
    {
        const int MaxLinks = 2000;
        var entity = await ReadableEntities(principal).FirstOrDefaultAsync(e => e.Id == entityId, cancellationToken);
        if (entity is null)
        {
            await audit.AppendAsync(Event(principal, "graph.neighbours", null, "not-found", purpose, targetType: "entity", targetId: entityId.ToString("D")));
            return null;
        }

        var readable = Readable(principal);
        var links = await db.Links.AsNoTracking()
            .Where(l => (l.FromEntityId == entityId || l.ToEntityId == entityId) && readable.Any(r => r.Id == l.RecordId))
            .OrderBy(l => l.Id).Take(MaxLinks).ToListAsync(cancellationToken);
        var otherIds = links.Select(l => l.FromEntityId == entityId ? l.ToEntityId : l.FromEntityId).Distinct().ToList();

        // Every link joins two entities its record mentions, and the record is readable: so is the other end.
        var others = await db.Entities.AsNoTracking().Where(e => otherIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        await audit.AppendAsync(Event(principal, "graph.neighbours", null, "success", purpose, $"{links.Count} links", "entity", entityId.ToString("D")));
        return new EntityNeighbours(entity, links, others);
    }

    /// <summary>The records the caller may read that mention the entity, newest first.</summary>
    public async Task<Page<Record>> RecordsMentioningAsync(Principal principal, Guid entityId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var query = Readable(principal).Where(r => r.Mentions.Any(m => m.EntityId == entityId));
        var page = await PageAsync(query, cursor, limit, cancellationToken);
        await audit.AppendAsync(Event(principal, "entity.records", null, "success", targetType: "entity", targetId: entityId.ToString("D"), detail: $"{page.Items.Count} records"));
        return page;
    }

    private static long ParseCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }

        return long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new Jisr.Domain.Common.DomainValidationException("cursor", $"'{cursor}' is not a cursor this server issued; pass the 'next' value of the previous page");
    }

    private static async Task<Page<Record>> PageAsync(IQueryable<Record> query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(limit, 1, MaxPageSize);
        if (!string.IsNullOrEmpty(cursor))
        {
            var after = ParseCursor(cursor);
            query = query.Where(r => EF.Property<long>(r, RecordConfiguration.SequenceColumn) < after);
        }

        var rows = await query
            .OrderByDescending(r => EF.Property<long>(r, RecordConfiguration.SequenceColumn))
            .Select(r => new { Record = r, Sequence = EF.Property<long>(r, RecordConfiguration.SequenceColumn) })
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        var next = rows.Count > size ? rows[size - 1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new Page<Record>([.. rows.Take(size).Select(r => r.Record)], next);
    }

    private static AuditEvent Event(Principal principal, string action, Guid? recordId, string outcome, string? purpose = null, string? detail = null, string? targetType = null, string? targetId = null) =>
        new(action, principal.UserId, principal.UserName, principal.AgencyId,
            TargetType: targetType ?? (recordId is null ? null : "record"),
            TargetId: targetId ?? recordId?.ToString("D"),
            Purpose: purpose,
            Outcome: outcome,
            Detail: detail);
}

/// <summary>What an agency holds on one person (see <see cref="RecordStore.SubjectAccessAsync"/>).</summary>
public sealed record SubjectAccess(
    Person Person, IReadOnlyList<Record> Records, IReadOnlyList<Link> Links, IReadOnlyList<Domain.Sharing.Release> Releases, IReadOnlyList<Domain.Notices.Notice> Notices, IReadOnlyList<AuditEntry> AuditEntries);

/// <summary>An entity, the links touching it in records the caller may read, and the entities at their other ends.</summary>
public sealed record EntityNeighbours(Entity Entity, IReadOnlyList<Link> Links, IReadOnlyDictionary<Guid, Entity> Others);

/// <summary>A record, the entities it mentions that the caller may read, and (TLP:RED only) its named recipients.</summary>
public sealed record RecordDetails(Record Record, IReadOnlyList<Entity> Entities, IReadOnlyList<Guid> Recipients);
