using Jisr.Domain.Entities;
using Jisr.Policy;
using Microsoft.Extensions.Caching.Memory;

namespace Jisr.Storage.Records;

/// <summary>
/// Entities never change once stored (a record that says something new about a person adds or links entities; it
/// does not edit them), so they can be kept in memory without invalidation. Every entity handed out still passes the
/// caller's policy check; the cache only spares the database round trip.
/// </summary>
public sealed class EntityCache
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>Drops entities that were deleted (the retention purge), so no copy outlives them in memory.</summary>
    public void Forget(IEnumerable<Guid> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
        {
            _cache.Remove(id);
        }
    }

    /// <summary>The entities among <paramref name="ids"/> the caller may read, from memory or through <paramref name="load"/> (a policy-filtered query).</summary>
    public async Task<List<Entity>> ReadableAsync(Principal principal, IEnumerable<Guid> ids, Func<IReadOnlyList<Guid>, IAsyncEnumerable<Entity>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var found = new List<Entity>();
        List<Guid>? missing = null;
        foreach (var id in ids)
        {
            if (_cache.TryGetValue(id, out Entity? entity) && entity is not null)
            {
                if (AccessPolicy.CanRead(principal, entity))
                {
                    found.Add(entity);
                }
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
