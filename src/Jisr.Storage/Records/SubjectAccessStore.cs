namespace Jisr.Storage.Records;

/// <summary>
/// Data-subject access: what the caller's agency holds on one person, gathered for a legal reviewer answering an
/// access request. Starts from what the caller may read (<see cref="ReadableSets"/>); the export and its purpose are audited.
/// </summary>
public sealed class SubjectAccessStore(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Everything the caller's agency holds on one person, for a data-subject access request: the person, the records
    /// that mention them and the caller may read, the links involving them in those records, the releases of those
    /// records to partners, the notices about them the agency issued or received, and the audit entries about the
    /// person, those records and those notices. Null when the person is not visible to the caller.
    /// </summary>
    public async Task<SubjectAccess?> ExportAsync(Principal principal, EntityId personId, string purpose, CancellationToken cancellationToken)
    {
        const int MaxItems = 10_000;
        var person = await db.ReadableEntities(principal, time).OfType<Person>().FirstOrDefaultAsync(p => p.Id == personId, cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.SubjectAccessExport, null, person is null ? AuditOutcomes.NotFound : AuditOutcomes.Success, purpose, targetType: AuditTargets.Entity, targetId: personId.ToString()));
        if (person is null)
        {
            return null;
        }

        var records = await db.ReadableRecords(principal, time).Where(r => r.Mentions.Any(m => m.EntityId == personId))
            .OrderBy(r => r.CreatedAt).Take(MaxItems).ToListAsync(cancellationToken);
        var recordIds = records.Select(r => r.Id).ToList();
        var links = await db.Links.AsNoTracking()
            .Where(l => recordIds.Contains(l.RecordId) && (l.FromEntityId == personId || l.ToEntityId == personId))
            .OrderBy(l => l.Id).Take(MaxItems).ToListAsync(cancellationToken);
        var releases = await db.Releases.AsNoTracking().Where(AccessPolicy.VisibleReleases(principal))
            .Where(r => recordIds.Contains(r.RecordId)).OrderBy(r => r.RequestedAt).Take(MaxItems).ToListAsync(cancellationToken);
        var notices = await db.Notices.AsNoTracking().Where(AccessPolicy.VisibleNotices(principal, time.GetUtcNow(), db.Agreements))
            .Where(n => n.SubjectEntityId == personId).OrderBy(n => n.CreatedAt).Take(MaxItems).ToListAsync(cancellationToken);
        var targets = recordIds.Select(id => id.ToString()).Concat(notices.Select(n => n.Id.ToString())).Append(personId.ToString()).ToList();
        var entries = await db.AuditLog.AsNoTracking()
            .Where(e => e.AgencyId == principal.AgencyId && e.TargetId != null && targets.Contains(e.TargetId))
            .OrderBy(e => e.Sequence).Take(MaxItems).ToListAsync(cancellationToken);
        return new SubjectAccess(person, records, links, releases, notices, entries);
    }
}

/// <summary>What an agency holds on one person (see <see cref="SubjectAccessStore.ExportAsync"/>).</summary>
public sealed record SubjectAccess(
    Person Person, IReadOnlyList<Record> Records, IReadOnlyList<Link> Links, IReadOnlyList<Domain.Sharing.Release> Releases, IReadOnlyList<Domain.Notices.Notice> Notices, IReadOnlyList<AuditEntry> AuditEntries);
