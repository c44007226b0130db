namespace Jisr.Storage.Records;

/// <summary>
/// Every person name the node holds, whatever agency holds it: what the node's name-matching candidate index is
/// built from. The index only proposes candidates; the caller's policy filter decides which of them they see.
/// </summary>
public sealed class PersonNames(DatabaseLocation location)
{
    public async Task<List<(EntityId PersonId, string Name)>> AllAsync(CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        var persons = await db.Entities.AsNoTracking().OfType<Person>().ToListAsync(cancellationToken);
        return [.. persons.SelectMany(p => p.Names.Select(n => (p.Id, n.Text)))];
    }

    /// <summary>Every person name with the agency that holds the person (the index keeps one candidate pass per agency).</summary>
    public async Task<HeldPersons> AllHeldAsync(CancellationToken cancellationToken) => await CreatedSinceAsync(null, cancellationToken);

    /// <summary>Names of the persons stored at or after <paramref name="since"/> (all when null), by this process or another.</summary>
    public async Task<HeldPersons> CreatedSinceAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        var query = db.Entities.AsNoTracking().OfType<Person>();
        if (since is { } from)
        {
            query = query.Where(p => p.CreatedAt >= from);
        }

        // The columns the index needs, not whole entities: over a million persons, materialising every person with its
        // identifiers, nationalities and dates cost most of the build.
        var persons = await query.Select(p => new { p.Id, p.AgencyId, p.Names, p.CreatedAt }).ToListAsync(cancellationToken);
        return new HeldPersons([.. persons.SelectMany(p => p.Names.Select(n => new HeldPersonName(p.Id, p.AgencyId, n.Text, p.CreatedAt)))], [.. persons.Select(p => p.Id)], persons.Count == 0 ? null : persons.Max(p => p.CreatedAt));
    }

    /// <summary>A fingerprint of the stored persons (how many, the latest stored): it changes when any process adds or deletes one. The count reads every person's index entry: see <see cref="ChangesAsync"/> for the check made often.</summary>
    public async Task<(int Count, DateTimeOffset? Latest)> FingerprintAsync(CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        var count = await db.Entities.OfType<Person>().CountAsync(cancellationToken);
        return (count, count == 0 ? null : await LatestAsync(db, cancellationToken));
    }

    /// <summary>
    /// What changed since the audit log's entry <paramref name="auditSeen"/>, cheaply (a few index lookups, and a read
    /// of the audit entries written since): when the latest person was stored, the audit log's last entry, and whether a
    /// retention purge, the only way persons are deleted, was audited after <paramref name="auditSeen"/> (it is audited
    /// in the transaction that deletes them, so a purge by any process shows here once committed).
    /// </summary>
    public async Task<PersonChanges> ChangesAsync(long auditSeen, CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        var auditLast = await AuditLastAsync(db, cancellationToken);
        var purged = auditLast > auditSeen && await db.AuditLog.AnyAsync(e => e.Sequence > auditSeen && e.Sequence <= auditLast && e.Action == AuditActions.RetentionPurge, cancellationToken);
        return new PersonChanges(await LatestAsync(db, cancellationToken), auditLast, purged);
    }

    /// <summary>The audit log's last entry: read before the persons when the index is built, so that a purge committed during the build is seen after it.</summary>
    public async Task<long> AuditLastAsync(CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        return await AuditLastAsync(db, cancellationToken);
    }

    private static async Task<long> AuditLastAsync(JisrDbContext db, CancellationToken cancellationToken) =>
        await db.AuditLog.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;

    /// <summary>The latest person's creation time: one lookup in the (kind, creation time) index.</summary>
    private static async Task<DateTimeOffset?> LatestAsync(JisrDbContext db, CancellationToken cancellationToken) =>
        await db.Entities.AsNoTracking().OfType<Person>().OrderByDescending(p => p.CreatedAt).Select(p => (DateTimeOffset?)p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>What <see cref="PersonNames.ChangesAsync"/> found: the latest person stored, the audit log's last entry, whether persons may have been deleted since.</summary>
public sealed record PersonChanges(DateTimeOffset? Latest, long AuditLast, bool Purged);

/// <summary>Stored persons: their names, their ids (a person may have no name) and when the latest was stored.</summary>
public sealed record HeldPersons(IReadOnlyList<HeldPersonName> Names, IReadOnlyList<EntityId> Persons, DateTimeOffset? Latest);

/// <summary>One name of a stored person, with the agency that holds the person and when it was stored.</summary>
public sealed record HeldPersonName(EntityId PersonId, AgencyId AgencyId, string Name, DateTimeOffset CreatedAt);
