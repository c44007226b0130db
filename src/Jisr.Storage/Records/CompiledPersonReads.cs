using System.Linq.Expressions;
using System.Reflection;

namespace Jisr.Storage.Records;

/// <summary>
/// The person match's candidate read (the persons among some ids that a caller may read) as a compiled query: a profile
/// of the match endpoint put a fifth of the read in EF Core preparing the LINQ query on each request (walking the
/// policy's expression for its parameters, hashing it for the query cache). The rules are spliced in from
/// <see cref="AccessPolicy"/> (<see cref="AccessPolicy.EntityReadRule"/> over the records
/// <see cref="AccessPolicy.RecordReadRule"/> lets the caller read), as in <see cref="CompiledReads"/>, so the filter is
/// the one every entity query applies (<see cref="ReadableSets.ReadableEntities"/>; a test compares the two). On SQLite
/// EF Core sends the ids as one parameter each, padded to a few list sizes, so a handful of statements serve every slice.
/// </summary>
internal static class CompiledPersonReads
{
    public static IAsyncEnumerable<Person> ReadableAmong(JisrDbContext db, Principal principal, List<EntityId> ids, DateTimeOffset now) => db switch
    {
        SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).ReadableAmong(sqlite, ids, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now)),
        PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).ReadableAmong(postgres, ids, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now)),
        _ => throw new NotSupportedException(db.GetType().Name),
    };

    /// <summary>Stands for <see cref="AccessPolicy.EntityReadRule"/> in the query shape; replaced before compilation.</summary>
    private static bool EntityRule(Entity entity, EntityReadContext context) =>
        throw new InvalidOperationException("policy marker: replaced by AccessPolicy.EntityReadRule before the query is compiled");

    /// <summary>Stands for <see cref="AccessPolicy.RecordReadRule"/> in the query shape; replaced before compilation.</summary>
    private static bool RecordRule(Record record, ReadContext context) =>
        throw new InvalidOperationException("policy marker: replaced by AccessPolicy.RecordReadRule before the query is compiled");

    private static MethodInfo Marker(string name) =>
        typeof(CompiledPersonReads).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The entity rule first (its context names the records the record rule keeps), then the record rule.</summary>
    /// <summary>The set of compiled queries a context runs on: one per memory cache of EF Core's services (tests compare them).</summary>
    internal static object QueriesOf(SqliteJisrDbContext db) => Queries<SqliteJisrDbContext>.Of(db);

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
    }
}
