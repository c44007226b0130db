using Microsoft.Extensions.Caching.Memory;

namespace Jisr.Storage.Records;

/// <summary>
/// Entities never change once stored (a record that says something new about a person adds or links entities; it
/// does not edit them), so they can be kept in memory without invalidation. It serves the entities a readable record
/// mentions, which the entity read rule makes readable to that caller (<see cref="AccessPolicy.EntityReadRule"/>);
/// other entity reads are policy-filtered queries.
/// </summary>
public sealed class EntityCache
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>Raised with the ids of deleted entities, so other in-memory copies (the person name index) drop them too.</summary>
    public event Action<IReadOnlyCollection<EntityId>>? Forgotten;

    /// <summary>Drops entities that were deleted (the retention purge), so no copy outlives them in memory.</summary>
    public void Forget(IEnumerable<EntityId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var forgotten = ids.ToList();
        foreach (var id in forgotten)
        {
            _cache.Remove(id);
        }

        if (forgotten.Count > 0)
        {
            Forgotten?.Invoke(forgotten);
        }
    }

    /// <summary>The entities a record the caller may read mentions, from memory or through <paramref name="load"/>.</summary>
    public async Task<List<Entity>> MentionedByReadableRecordAsync(IEnumerable<EntityId> ids, Func<IReadOnlyList<EntityId>, IAsyncEnumerable<Entity>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var found = new List<Entity>();
        List<EntityId>? missing = null;
        foreach (var id in ids)
        {
            if (_cache.TryGetValue(id, out Entity? entity) && entity is not null)
            {
                found.Add(entity);
            }
            else
            {
                (missing ??= []).Add(id);
            }
        }

        if (missing is not null)
        {
            await foreach (var entity in load(missing).WithCancellation(cancellationToken))
            {
                _cache.Set(entity.Id, entity, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
                found.Add(entity);
            }
        }

        return found;
    }
}
