namespace Jisr.Server.Application;

/// <summary>
/// Reads of entities: the list, one entity, the records that mention one, and the link graph around one. Every
/// query starts from what the caller may read (the policy's read rules, applied by the stores) and is audited; an
/// entity the caller may not see is not found.
/// </summary>
public sealed class EntityService(EntityStore store, LinkGraph graph)
{
    /// <summary>By label, then id; all types, or only <paramref name="type"/> (a wire name such as <c>person</c>).</summary>
    public Task<Page<Entity>> ListAsync(Principal caller, string? type, string? cursor, int limit, CancellationToken cancellationToken)
    {
        EntityType? entityType = type is null ? null : EntityVocabulary.Types.Parse(type, "type");
        return store.ListAsync(caller, entityType, cursor, limit, cancellationToken);
    }

    public async Task<Outcome<Entity>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        Change.Found(await store.ReadAsync(caller, new EntityId(id), cancellationToken), What(id));

    /// <summary>The records the caller may read that mention the entity, newest first.</summary>
    public async Task<Outcome<Page<Record>>> RecordsMentioningAsync(Principal caller, Guid id, string? cursor, int limit, CancellationToken cancellationToken)
    {
        if ((await ReadAsync(caller, id, cancellationToken)).Refusal is { } refused)
        {
            return refused;
        }

        return await store.RecordsMentioningAsync(caller, new EntityId(id), cursor, limit, cancellationToken);
    }

    /// <summary>The link graph one step out from the entity, within the records the caller may read; the query carries a purpose.</summary>
    public async Task<Outcome<EntityNeighbours>> NeighboursAsync(Principal caller, Guid id, string purpose, CancellationToken cancellationToken) =>
        Change.Found(await graph.NeighboursAsync(caller, new EntityId(id), purpose, cancellationToken), What(id));

    private static string What(Guid id) => $"entity {id}";
}
