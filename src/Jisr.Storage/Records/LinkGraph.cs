namespace Jisr.Storage.Records;

/// <summary>
/// The link graph: the links records assert between entities, walked only through records the caller may read
/// (<see cref="ReadableSets"/>). Every graph query carries a declared purpose, kept in the audit log.
/// </summary>
public sealed class LinkGraph(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// One step of the link graph: the links that touch the entity in records the caller may read, with the entity at
    /// the other end. Null when the entity is not visible. The graph query and its declared purpose are audited.
    /// </summary>
    public async Task<EntityNeighbours?> NeighboursAsync(Principal principal, EntityId entityId, string purpose, CancellationToken cancellationToken)
    {
        const int MaxLinks = 2000;
        var entity = await db.ReadableEntities(principal, time).FirstOrDefaultAsync(e => e.Id == entityId, cancellationToken);
        if (entity is null)
        {
            await audit.AppendAsync(CallerEvents.For(principal, AuditActions.GraphNeighbours, null, AuditOutcomes.NotFound, purpose, targetType: AuditTargets.Entity, targetId: entityId.ToString()));
            return null;
        }

        var readable = db.ReadableRecords(principal, time);
        var links = await db.Links.AsNoTracking()
            .Where(l => (l.FromEntityId == entityId || l.ToEntityId == entityId) && readable.Any(r => r.Id == l.RecordId))
            .OrderBy(l => l.Id).Take(MaxLinks).ToListAsync(cancellationToken);
        var otherIds = links.Select(l => l.FromEntityId == entityId ? l.ToEntityId : l.FromEntityId).Distinct().ToList();

        // Every link joins two entities its record mentions, and the record is readable: so is the other end.
        var others = await db.Entities.AsNoTracking().Where(e => otherIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.GraphNeighbours, null, AuditOutcomes.Success, purpose, $"{links.Count} links", AuditTargets.Entity, entityId.ToString()));
        return new EntityNeighbours(entity, links, others);
    }
}

/// <summary>An entity, the links touching it in records the caller may read, and the entities at their other ends.</summary>
public sealed record EntityNeighbours(Entity Entity, IReadOnlyList<Link> Links, IReadOnlyDictionary<EntityId, Entity> Others);
