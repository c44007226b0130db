namespace Jisr.Storage.Records;

/// <summary>
/// The policy starting points of every read of records and entities, in one place for all the stores: each query
/// starts from the filter <see cref="AccessPolicy"/> gives for the caller (or, in a compiled query, has
/// <see cref="AccessPolicy.RecordReadRule"/> spliced in: <see cref="CompiledReads"/>, <see cref="CompiledPages"/>), so
/// nothing the caller may not see is ever fetched. Untracked, for reads; a change starts from <see cref="RecordStore.FindForUpdateAsync"/>.
/// </summary>
internal static class ReadableSets
{
    /// <summary>The records <paramref name="principal"/> may read: the starting point of every record query built per request.</summary>
    public static IQueryable<Record> ReadableRecords(this JisrDbContext db, Principal principal, TimeProvider time) =>
        db.Records.AsNoTracking().Where(AccessPolicy.ReadableRecords(principal, time.GetUtcNow(), db.Agreements));

    /// <summary>The entities <paramref name="principal"/> may read: the starting point of every entity query.</summary>
    public static IQueryable<Entity> ReadableEntities(this JisrDbContext db, Principal principal, TimeProvider time) =>
        db.Entities.AsNoTracking().Where(AccessPolicy.ReadableEntities(principal, time.GetUtcNow(), db.Mentions, db.Records, db.Agreements));

    /// <summary>The releases <paramref name="principal"/> may see listed or read: their agency's, of records they may read.</summary>
    public static IQueryable<Domain.Sharing.Release> ShownReleases(this JisrDbContext db, Principal principal, TimeProvider time) =>
        db.Releases.AsNoTracking().Where(AccessPolicy.ShownReleases(principal, time.GetUtcNow(), db.Records, db.Agreements));
}
