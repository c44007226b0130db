namespace Jisr.Storage.Records;

/// <summary>
/// The link graph: the links records assert between entities, walked only through records the caller may read (the
/// record rule, compiled into the step's query, <see cref="CompiledEntityReads"/>). Every graph query carries a declared
/// purpose, kept in the audit log.
/// </summary>
public sealed class LinkGraph(JisrDbContext db, AuditLog audit, EntityCache entityCache, TimeProvider time, SqliteReadLanes? lanes = null)
{
    /// <summary>The most links one step returns (by link id): an entity linked to many thousands stays answerable.</summary>
    public const int MaxNeighbourLinks = 2000;

    /// <summary>
    /// One step of the link graph: the links that touch the entity in records the caller may read, with the entity at
    /// the other end. Null when the entity is not visible. The graph query and its declared purpose are audited.
    /// </summary>
    public async Task<EntityNeighbours?> NeighboursAsync(Principal principal, EntityId entityId, string purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // Compiled queries under the policy rules; on a SQLite read lane, in one read transaction on kept statements.
        async Task<EntityNeighbours?> ReadOnAsync(JisrDbContext on)
        {
            var entity = await CompiledEntityReads.ReadableEntityAsync(on, principal, entityId, now, cancellationToken);
            if (entity is null)
            {
                return null;
            }

            var links = new List<Link>();
            await foreach (var link in CompiledEntityReads.ReadableLinksOf(on, principal, entityId, now).WithCancellation(cancellationToken))
            {
                links.Add(link);
            }

            // Every link joins two entities its record mentions, and the record is readable: so is the other end, which
            // the entity cache may therefore serve.
            var otherIds = links.Select(l => l.FromEntityId == entityId ? l.ToEntityId : l.FromEntityId).Distinct();
            var others = await entityCache.MentionedByReadableRecordAsync(otherIds, ids => CompiledReads.MentionedEntities(on, ids), cancellationToken);
            return new EntityNeighbours(entity, links, others.ToDictionary(e => e.Id));
        }

        var neighbours = lanes is null ? await ReadOnAsync(db) : await lanes.RunAsync(db, ReadOnAsync);
        await audit.AppendAsync(neighbours is null
            ? CallerEvents.For(principal, AuditActions.GraphNeighbours, null, AuditOutcomes.NotFound, purpose, targetType: AuditTargets.Entity, targetId: entityId.ToString())
            : CallerEvents.For(principal, AuditActions.GraphNeighbours, null, AuditOutcomes.Success, purpose, $"{neighbours.Links.Count} links", AuditTargets.Entity, entityId.ToString()));
        return neighbours;
    }
}

/// <summary>An entity, the links touching it in records the caller may read, and the entities at their other ends.</summary>
public sealed record EntityNeighbours(Entity Entity, IReadOnlyList<Link> Links, IReadOnlyDictionary<EntityId, Entity> Others);
