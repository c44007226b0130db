using System.Linq.Expressions;
using System.Reflection;

namespace Jisr.Storage.Records;

/// <summary>
/// Entity reads under the policy as compiled queries: the person match's candidates (the persons among some ids that a
/// caller may read), one entity, and the links touching an entity in records the caller may read (the graph's one
/// step). Profiles of the match endpoint and of the neighbours endpoint put a fifth and two thirds of those reads in
/// EF Core preparing the LINQ query on each request (walking the policy's expression for its parameters, hashing it
/// for the query cache). The rules are spliced in from <see cref="AccessPolicy"/> (<see cref="AccessPolicy.EntityReadRule"/>
/// over the records <see cref="AccessPolicy.RecordReadRule"/> lets the caller read), as in <see cref="CompiledReads"/>,
/// so the filter is the one every entity query applies (<see cref="ReadableSets.ReadableEntities"/>; tests compare the
/// two). A list of ids travels as one parameter (<see cref="JisrDatabase"/> configures it), so one statement per query
/// serves every list length.
/// </summary>
internal static class CompiledEntityReads
{
    public static IAsyncEnumerable<Person> ReadableAmong(JisrDbContext db, Principal principal, List<EntityId> ids, DateTimeOffset now) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).ReadableAmong(sqlite, ids, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now)),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).ReadableAmong(postgres, ids, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now)),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    /// <summary>The entity, when <paramref name="principal"/> may read it; else null.</summary>
    public static Task<Entity?> ReadableEntityAsync(JisrDbContext db, Principal principal, EntityId id, DateTimeOffset now, CancellationToken cancellationToken) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).ReadableEntity(sqlite, id, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), cancellationToken),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).ReadableEntity(postgres, id, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), cancellationToken),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    /// <summary>
    /// The first <see cref="LinkGraph.MaxNeighbourLinks"/> links, by id, that touch <paramref name="entityId"/> at either
    /// end in records <paramref name="principal"/> may read.
    /// </summary>
    public static IAsyncEnumerable<Link> ReadableLinksOf(JisrDbContext db, Principal principal, EntityId entityId, DateTimeOffset now) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).ReadableLinksOf(sqlite, entityId, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now)),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).ReadableLinksOf(postgres, entityId, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now)),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    /// <summary>Stands for <see cref="AccessPolicy.EntityReadRule"/> in the query shape; replaced before compilation.</summary>
    private static bool EntityRule(Entity entity, EntityReadContext context) =>
        throw new InvalidOperationException("policy marker: replaced by AccessPolicy.EntityReadRule before the query is compiled");

    /// <summary>Stands for <see cref="AccessPolicy.RecordReadRule"/> in the query shape; replaced before compilation.</summary>
    private static bool RecordRule(Record record, ReadContext context) =>
        throw new InvalidOperationException("policy marker: replaced by AccessPolicy.RecordReadRule before the query is compiled");

    private static MethodInfo Marker(string name) =>
        typeof(CompiledEntityReads).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The set of compiled queries a context runs on: one per memory cache of EF Core's services (tests compare them).</summary>
    internal static object QueriesOf(SqliteJisrDbContext db) => Queries<SqliteJisrDbContext>.Of(db);

    /// <summary>The entity rule first (its context names the records the record rule keeps), then the record rule.</summary>
    private static Expression<TDelegate> WithPolicy<TDelegate>(Expression<TDelegate> query) =>
        PolicyExpressions.Inline(
            PolicyExpressions.Inline(query, Marker(nameof(EntityRule)), AccessPolicy.EntityReadRule),
            Marker(nameof(RecordRule)),
            AccessPolicy.RecordReadRule);

    /// <summary>The compiled queries of one memory cache of EF Core's services (<see cref="CompiledQuerySets{TQueries}"/>).</summary>
    private sealed class Queries<TContext>
        where TContext : JisrDbContext
    {
        public static Queries<TContext> Of(TContext db) => CompiledQuerySets<Queries<TContext>>.Of(db);

        public readonly Func<TContext, List<EntityId>, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, IAsyncEnumerable<Person>> ReadableAmong =
            EF.CompileAsyncQuery(UserKeyParameter.Substitute(WithPolicy(
                (Expression<Func<TContext, List<EntityId>, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, IQueryable<Person>>>)((db, ids, agencyId, clearance, userId, userKey, now, today) =>
                    db.Entities.AsNoTracking()
                        .Where(e => EntityRule(e, new EntityReadContext(db.Mentions, db.Records.Where(r => RecordRule(r, new ReadContext(db.Agreements, agencyId, clearance, userId, now, today))))))
                        .OfType<Person>()
                        .Where(p => ids.Contains(p.Id))))));

        public readonly Func<TContext, EntityId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, CancellationToken, Task<Entity?>> ReadableEntity =
            EF.CompileAsyncQuery(UserKeyParameter.Substitute(WithPolicy(
                (Expression<Func<TContext, EntityId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, CancellationToken, Entity?>>)((db, id, agencyId, clearance, userId, userKey, now, today, cancellationToken) =>
                    db.Entities.AsNoTracking()
                        .Where(e => EntityRule(e, new EntityReadContext(db.Mentions, db.Records.Where(r => RecordRule(r, new ReadContext(db.Agreements, agencyId, clearance, userId, now, today))))))
                        .FirstOrDefault(e => e.Id == id)))));

        public readonly Func<TContext, EntityId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, IAsyncEnumerable<Link>> ReadableLinksOf =
            EF.CompileAsyncQuery(UserKeyParameter.Substitute(WithPolicy(
                (Expression<Func<TContext, EntityId, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, IQueryable<Link>>>)((db, entityId, agencyId, clearance, userId, userKey, now, today) =>
                    db.Links.AsNoTracking()
                        .Where(l => (l.FromEntityId == entityId || l.ToEntityId == entityId)
                                    && db.Records.Where(r => RecordRule(r, new ReadContext(db.Agreements, agencyId, clearance, userId, now, today))).Any(r => r.Id == l.RecordId))
                        .OrderBy(l => l.Id)
                        .Take(LinkGraph.MaxNeighbourLinks)))));
    }
}
