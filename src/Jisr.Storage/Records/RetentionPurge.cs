using Jisr.Storage.Audit;
using Jisr.Storage.Configurations;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Records;

/// <summary>
/// Deletes records past their retention end, with their mentions and links, and the entities no remaining record
/// mentions (they may hold personal data). Each purge leaves an audit entry that names only ids and counts: the audit
/// log must not keep what the law says to forget.
/// </summary>
public sealed class RetentionPurge(JisrDbContext db, AuditLog audit, EntityCache entityCache)
{
    public const int BatchSize = 200;

    /// <summary>Purges everything past retention at <paramref name="now"/>; returns the number of records purged.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var expired = await db.Records
                .Where(r => r.RetentionUntil <= now)
                .Include(r => r.Mentions)
                .Include(r => r.Links)
                .OrderBy(r => EF.Property<long>(r, RecordConfiguration.SequenceColumn))
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (expired.Count == 0)
            {
                return total;
            }

            var ids = expired.Select(r => r.Id).ToList();
            var mentioned = expired.SelectMany(r => r.Mentions.Select(m => m.EntityId)).Distinct().ToList();

            // Entities that only the purged records mention, and that no surviving link uses.
            var orphans = await db.Entities
                .Where(e => mentioned.Contains(e.Id))
                .Where(e => !db.Mentions.Any(m => m.EntityId == e.Id && !ids.Contains(m.RecordId)))
                .Where(e => !db.Links.Any(l => (l.FromEntityId == e.Id || l.ToEntityId == e.Id) && !ids.Contains(l.RecordId)))
                .ToListAsync(cancellationToken);
            db.Records.RemoveRange(expired);
            db.Entities.RemoveRange(orphans);
            var events = expired.Select(r => new AuditEvent(AuditActions.RecordPurge, ActorName: "retention-purge", AgencyId: r.OriginatorAgencyId, TargetType: AuditTargets.Record, TargetId: r.Id.ToString("D"))).ToList();
            events.Add(new AuditEvent(AuditActions.RetentionPurge, ActorName: "retention-purge", Detail: $"{expired.Count} records, {orphans.Count} entities no longer mentioned"));
            await audit.SaveWithAuditAsync(db, events, cancellationToken);
            entityCache.Forget(orphans.Select(e => e.Id));
            db.ChangeTracker.Clear();
            total += expired.Count;
        }
    }
}
