using System.Linq.Expressions;
using System.Reflection;

namespace Jisr.Storage.Records;

/// <summary>
/// The hottest read path (one record by id with its links and mentions) as a compiled query. The policy rule is
/// spliced in from <see cref="AccessPolicy"/> (the marker method stands for it in the query shape), so this query
/// applies exactly the rule every other query applies. A compiled query belongs to one model and one set of EF Core
/// services, hence one per provider's context type and per memory cache (<see cref="CompiledQuerySets{TQueries}"/>).
/// The mentioned entities come from <see cref="EntityCache"/> or <see cref="MentionedEntities"/>.
/// </summary>
internal static class CompiledReads
{
    public static Task<Record?> RecordByIdAsync(JisrDbContext db, RecordId id, Principal principal, DateTimeOffset now, CancellationToken cancellationToken) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).RecordById(sqlite, id, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), cancellationToken),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).RecordById(postgres, id, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), cancellationToken),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    /// <summary>
    /// The same read as <see cref="RecordByIdAsync"/> in three statements, for a <see cref="SqliteReadLanes">read lane</see>,
    /// which runs them in one read transaction (one snapshot) on kept statements: the record under the policy rule, then,
    /// only when the caller may read it, its links and its mentions by the record's id (rows of a record the caller may
    /// read, in the same snapshot, so the rule needs no second evaluation). A single statement returns one row per
    /// (link, mention) pair, each with the whole record: 64 rows for a record of 8 persons and 8 links, where these
    /// return 1 + 8 + 8. Each statement reads one table into one type, without the split-query shaper that
    /// <c>Include</c> brings (it built its collection delegates on every run).
    /// </summary>
    /// <remarks>
    /// Synchronous: Microsoft.Data.Sqlite runs every command synchronously (its async methods complete before they
    /// return), so the async forms only added a state machine and a task per statement and per row.
    /// </remarks>
    public static Record? RecordByIdInSteps(SqliteJisrDbContext lane, RecordId id, Principal principal, DateTimeOffset now)
    {
        var queries = Queries<SqliteJisrDbContext>.Of(lane);
        var record = queries.RecordAlone(lane, id, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now));
        if (record is null)
        {
            return null;
        }

        RecordCollections.Links(record) = [.. queries.LinksOf(lane, id)];
        RecordCollections.Mentions(record) = [.. queries.MentionedIdsOf(lane, id).Select(entityId => new RecordMention(id, entityId))];
        return record;
    }

    /// <summary>The set of compiled queries a context runs on: one per memory cache of EF Core's services (tests compare them).</summary>
    internal static object QueriesOf(SqliteJisrDbContext db) => Queries<SqliteJisrDbContext>.Of(db);

    /// <summary>The named recipients of a TLP:RED record (read only for RED records, so the common read stays one statement).</summary>
    public static Task<List<Guid>> RecipientsOf(JisrDbContext db, RecordId recordId, CancellationToken cancellationToken) =>
        db.Set<RecordRecipient>().AsNoTracking().Where(x => x.RecordId == recordId).Select(x => x.UserId).ToListAsync(cancellationToken);

    /// <summary>
    /// The entities a record mentions. Only for a record the caller may read: by <see cref="AccessPolicy.EntityReadRule"/>
    /// every entity a readable record mentions is readable, so no further filter applies.
    /// </summary>
    public static IAsyncEnumerable<Entity> MentionedEntities(JisrDbContext db, IReadOnlyList<EntityId> ids) =>
        db.Entities.AsNoTracking().Where(e => ids.Contains(e.Id)).AsAsyncEnumerable();

    /// <summary>
    /// Stands for <see cref="AccessPolicy.RecordReadRule"/> in a query shape; replaced before compilation. Its context is
    /// written as a constructor call over the query's own parameters and the agreements' query root, which the rule's
    /// member reads are bound to by name (<see cref="PolicyExpressions.Inline"/>).
    /// </summary>
    private static bool RecordRule(Record record, ReadContext context) =>
        throw new InvalidOperationException("policy marker: replaced by AccessPolicy.RecordReadRule before the query is compiled");

    private static MethodInfo Marker(string name) =>
        typeof(CompiledReads).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The compiled queries of one memory cache of EF Core's services (<see cref="CompiledQuerySets{TQueries}"/>).</summary>
    private sealed class Queries<TContext>
        where TContext : JisrDbContext
    {
        public static Queries<TContext> Of(TContext db) => CompiledQuerySets<Queries<TContext>>.Of(db);

        public readonly Func<TContext, RecordId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, CancellationToken, Task<Record?>> RecordById =
            EF.CompileAsyncQuery(UserKeyParameter.Substitute(PolicyExpressions.Inline(
                (Expression<Func<TContext, RecordId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, CancellationToken, Record?>>)((db, id, agencyId, clearance, userId, userKey, now, today, cancellationToken) =>
                    db.Records.AsNoTracking().Include(r => r.Links).Include(r => r.Mentions)
                        .FirstOrDefault(r => r.Id == id && RecordRule(r, new ReadContext(db.Agreements, agencyId, clearance, userId, now, today)))),
                Marker(nameof(RecordRule)),
                AccessPolicy.RecordReadRule)));

        /// <summary>The record alone (no collections), under the policy rule: the first of <see cref="RecordByIdInSteps"/>'s steps.</summary>
        public readonly Func<TContext, RecordId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, Record?> RecordAlone =
            EF.CompileQuery(UserKeyParameter.Substitute(PolicyExpressions.Inline(
                (Expression<Func<TContext, RecordId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, Record?>>)((db, id, agencyId, clearance, userId, userKey, now, today) =>
                    db.Records.AsNoTracking()
                        .FirstOrDefault(r => r.Id == id && RecordRule(r, new ReadContext(db.Agreements, agencyId, clearance, userId, now, today)))),
                Marker(nameof(RecordRule)),
                AccessPolicy.RecordReadRule)));

        /// <summary>A record's links, in the order of the record-id index (the order the split query read them in).</summary>
        public readonly Func<TContext, RecordId, IEnumerable<Link>> LinksOf =
            EF.CompileQuery((TContext db, RecordId id) => db.Set<Link>().AsNoTracking().Where(l => l.RecordId == id));

        /// <summary>The ids of the entities a record mentions, in key order (the order the split query read them in).</summary>
        public readonly Func<TContext, RecordId, IEnumerable<EntityId>> MentionedIdsOf =
            EF.CompileQuery((TContext db, RecordId id) => db.Mentions.Where(m => m.RecordId == id).Select(m => m.EntityId));
    }
}
