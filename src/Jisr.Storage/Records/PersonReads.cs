namespace Jisr.Storage.Records;

/// <summary>
/// The person match's reads: the policy decides on ids alone (which candidates the caller may read, from the same
/// filter every entity query starts from, <see cref="ReadableSets.ReadableEntities"/>), and only the persons the
/// <see cref="EntityCache"/> lacks are then loaded, by id. Both send their ids as one array parameter
/// (<c>EF.Parameter</c>): one SQL statement whatever their number, where EF Core's default, a parameter per id, had it
/// write the SQL again, under a lock, for each new count. (A compiled query cannot take its ids that way: EF Core
/// refuses <c>EF.Parameter</c> on a compiled query's own parameter.)
/// </summary>
internal static class PersonReads
{
    /// <summary>The ids among <paramref name="ids"/> of persons <paramref name="principal"/> may read (in no particular order).</summary>
    public static Task<List<EntityId>> ReadablePersonIdsAsync(JisrDbContext db, List<EntityId> ids, Principal principal, TimeProvider time, CancellationToken cancellationToken) =>
        db.ReadableEntities(principal, time).OfType<Person>().Where(p => EF.Parameter(ids).Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Persons by id, unfiltered: only for ids <see cref="ReadablePersonIdsAsync"/> has just found readable (what the
    /// entity cache lacks of them).
    /// </summary>
    public static IAsyncEnumerable<Person> PersonsById(JisrDbContext db, IReadOnlyList<EntityId> ids)
    {
        List<EntityId> wanted = [.. ids];
        return db.Entities.AsNoTracking().OfType<Person>().Where(p => EF.Parameter(wanted).Contains(p.Id)).AsAsyncEnumerable();
    }
}
