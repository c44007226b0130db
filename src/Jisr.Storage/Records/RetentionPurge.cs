using Jisr.Storage.Configurations;

namespace Jisr.Storage.Records;

/// <summary>
/// Deletes records past their retention end, with their mentions and links, and the entities no remaining record
/// mentions (they may hold personal data) and no notice is about. Each purge leaves an audit entry that names only ids
/// and counts: the audit log must not keep what the law says to forget. A record that cannot be purged (a row the
/// database refuses) is set aside for this run and named in the audit, so one bad row never stops the rest. The node's
/// caches let go of what was purged: the entities, and the links held in memory for graph queries
/// (<see cref="Fusion.LinkAdjacency.Forget"/>).
/// </summary>
public sealed class RetentionPurge(JisrDbContext db, AuditLog audit, EntityCache entityCache, Fusion.LinkAdjacency? adjacency = null)
{
    public const int BatchSize = 200;

    /// <summary>Purges everything past retention at <paramref name="now"/>; returns the number of records purged.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = 0;
        var setAside = new List<RecordId>();
        while (true)
        {
            var expired = await db.Records
                .Where(r => r.RetentionUntil <= now && !setAside.Contains(r.Id))
                .OrderBy(r => EF.Property<long>(r, RecordConfiguration.SequenceColumn))
                .Select(r => r.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (expired.Count == 0)
            {
                return total;
            }

            try
            {
                total += await PurgeAsync(expired, cancellationToken);
            }
            catch (DbUpdateException) when (expired.Count > 1)
            {
                // One row spoilt the batch: purge one by one, and set aside (for this run) only what fails alone.
                foreach (var id in expired)
                {
                    try
                    {
                        total += await PurgeAsync([id], cancellationToken);
                    }
                    catch (DbUpdateException)
                    {
                        setAside.Add(id);
                        await audit.AppendAsync(new AuditEvent(AuditActions.RecordPurge, ActorName: "retention-purge", TargetType: AuditTargets.Record, TargetId: id.ToString(), Outcome: AuditOutcomes.Failed));
                    }
                }
            }
            catch (DbUpdateException)
            {
                setAside.Add(expired[0]);
                await audit.AppendAsync(new AuditEvent(AuditActions.RecordPurge, ActorName: "retention-purge", TargetType: AuditTargets.Record, TargetId: expired[0].ToString(), Outcome: AuditOutcomes.Failed));
            }
        }
    }

    private async Task<int> PurgeAsync(IReadOnlyList<RecordId> ids, CancellationToken cancellationToken)
    {
        try
        {
            var expired = await db.Records.Where(r => ids.Contains(r.Id)).Include(r => r.Mentions).Include(r => r.Links).ToListAsync(cancellationToken);
            var mentioned = expired.SelectMany(r => r.Mentions.Select(m => m.EntityId)).Distinct().ToList();

            // Entities that only the purged records mention, that no surviving link uses and no notice is about.
            var orphans = await db.Entities
                .Where(e => mentioned.Contains(e.Id))
                .Where(e => !db.Mentions.Any(m => m.EntityId == e.Id && !ids.Contains(m.RecordId)))
                .Where(e => !db.Links.Any(l => (l.FromEntityId == e.Id || l.ToEntityId == e.Id) && !ids.Contains(l.RecordId)))
                .Where(e => !db.Notices.Any(n => n.SubjectEntityId == e.Id))
                .ToListAsync(cancellationToken);
            db.Records.RemoveRange(expired);
            db.Entities.RemoveRange(orphans);
            var events = expired.Select(r => new AuditEvent(AuditActions.RecordPurge, ActorName: "retention-purge", AgencyId: r.OriginatorAgencyId, TargetType: AuditTargets.Record, TargetId: r.Id.ToString())).ToList();
            events.Add(new AuditEvent(AuditActions.RetentionPurge, ActorName: "retention-purge", Detail: $"{expired.Count} records, {orphans.Count} entities no longer mentioned"));
            await audit.SaveWithAuditAsync(db, events, cancellationToken);
            entityCache.Forget(orphans.Select(e => e.Id));
            adjacency?.Forget(ids);
            return expired.Count;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
