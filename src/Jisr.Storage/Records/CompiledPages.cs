using System.Linq.Expressions;
using System.Reflection;
using Jisr.Storage.Configurations;

namespace Jisr.Storage.Records;

/// <summary>A record's header with its insertion sequence (the keyset of record pages).</summary>
internal sealed record SequencedHeader(RecordHeader Header, long Sequence);

/// <summary>
/// The pages of the record list (both engines) and of the SQLite full-text search as compiled queries that read only
/// the columns of a <see cref="RecordHeader"/>. Built per request from LINQ, the list's and the search's expression
/// trees (the policy rule included) were walked, hashed and their parameters extracted on every call, and every page
/// materialised whole records (body, search text, legal frame): together about two thirds of the store's time for a
/// page of fifty. The policy rule is spliced in from <see cref="AccessPolicy.RecordReadRule"/> exactly as in
/// <see cref="CompiledReads"/>; a filter part or cursor that is null drops out of the SQL (EF Core writes one
/// statement per combination of null parameters, each kept prepared on a read lane).
/// </summary>
internal static class CompiledPages
{
    /// <summary>One page of the records the caller may read that <paramref name="filter"/> keeps, newest first, before <paramref name="before"/>.</summary>
    public static IAsyncEnumerable<SequencedHeader> List(JisrDbContext db, Principal principal, DateTimeOffset now, RecordFilter filter, long? before, int take)
    {
        var f = FilterParameters.Of(filter);
        return db switch
        {
            SqliteJisrDbContext sqlite => Queries<SqliteJisrDbContext>.Of(sqlite).List(sqlite, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), f.Domain, f.Classification, f.Originator, f.From, f.To, before, take),
            PostgresJisrDbContext postgres => Queries<PostgresJisrDbContext>.Of(postgres).List(postgres, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), f.Domain, f.Classification, f.Originator, f.From, f.To, before, take),
            _ => throw new NotSupportedException(db.GetType().Name),
        };
    }

    /// <summary>One page of a SQLite full-text search: the FTS5 query <paramref name="match"/> walked newest first, each hit read under the policy rule.</summary>
    public static IAsyncEnumerable<SequencedHeader> Search(SqliteJisrDbContext db, Principal principal, DateTimeOffset now, string match, long? before, int take) =>
        SqliteQueries.Of(db).Search(db, match, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), before, take);

    /// <summary>The words of SQLite's word list that the FTS5 prefix query <paramref name="prefix"/> matches, at most <paramref name="take"/> (see <see cref="SqliteJisrDbContext.MatchQueryAsync"/>).</summary>
    public static IAsyncEnumerable<string> WordsBeginning(SqliteJisrDbContext db, string prefix, int take) =>
        SqliteQueries.Of(db).Words(db, prefix, take);

    /// <summary>The same search as an uncompiled query of the same expression (its SQL and plan, for tests and the probe).</summary>
    public static IQueryable<SequencedHeader> SearchQuery(SqliteJisrDbContext db, Principal principal, DateTimeOffset now, string match, long? before, int take) =>
        SearchShape.Expression.Compile()(db, match, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), before, take);

    /// <summary>The compiled queries a context runs on (tests compare them: one set per memory cache).</summary>
    internal static object QueriesOf(SqliteJisrDbContext db) => Queries<SqliteJisrDbContext>.Of(db);

    /// <summary>SQLite's compiled search queries a context runs on (tests compare them).</summary>
    internal static object SearchQueriesOf(SqliteJisrDbContext db) => SqliteQueries.Of(db);

    /// <summary>The same list as an uncompiled query of the same expression (its SQL and plan, for the probe).</summary>
    public static IQueryable<SequencedHeader> ListQuery(JisrDbContext db, Principal principal, DateTimeOffset now, RecordFilter filter, long? before, int take)
    {
        var f = FilterParameters.Of(filter);
        return db switch
        {
            SqliteJisrDbContext sqlite => ListShape<SqliteJisrDbContext>.Expression.Compile()(sqlite, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), f.Domain, f.Classification, f.Originator, f.From, f.To, before, take),
            PostgresJisrDbContext postgres => ListShape<PostgresJisrDbContext>.Expression.Compile()(postgres, principal.AgencyId, principal.Clearance, principal.UserId, principal.UserId.Value, now, AccessPolicy.Today(now), f.Domain, f.Classification, f.Originator, f.From, f.To, before, take),
            _ => throw new NotSupportedException(db.GetType().Name),
        };
    }

    /// <summary>
    /// The headers of <paramref name="records"/> (an uncompiled query: PostgreSQL's search), projected as the compiled
    /// pages project them.
    /// </summary>
    public static IQueryable<SequencedHeader> Headers(IQueryable<Record> records)
    {
        var headed = records.Select(r => Headed(r, EF.Property<long>(r, RecordConfiguration.SequenceColumn)));
        return headed.Provider.CreateQuery<SequencedHeader>(PolicyExpressions.Inline(headed.Expression, Marker(nameof(Headed)), HeaderProjection));
    }

    /// <summary>
    /// The header columns of a record, with its sequence. Stands for <see cref="HeaderProjection"/> in a query shape
    /// (replaced before compilation), so the list and the search project the same columns.
    /// </summary>
    private static SequencedHeader Headed(Record record, long sequence) =>
        throw new InvalidOperationException("projection marker: replaced by CompiledPages.HeaderProjection before the query is compiled");

    private static readonly Expression<Func<Record, long, SequencedHeader>> HeaderProjection = (r, sequence) => new SequencedHeader(
        new RecordHeader(r.Id, r.Kind, r.Title, r.Language, r.OriginatorAgencyId, r.Provenance, r.ReleasedUnderAgreementId, r.CreatedAt,
            Marking.Create(r.Marking.Classification, r.Marking.Tlp, r.Marking.Handling, r.Marking.HandlingNote), r.SourceGrading, r.ThreatDomains, r.ReviewDate, r.RetentionUntil),
        sequence);

    /// <summary>Stands for <see cref="AccessPolicy.RecordReadRule"/> (see <see cref="CompiledReads"/>).</summary>
    private static bool RecordRule(Record record, ReadContext context) =>
        throw new InvalidOperationException("policy marker: replaced by AccessPolicy.RecordReadRule before the query is compiled");

    private static MethodInfo Marker(string name) =>
        typeof(CompiledPages).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Inlines the policy rule and the header projection, and takes the caller's user key as its own parameter.</summary>
    private static Expression<TDelegate> Spliced<TDelegate>(Expression<TDelegate> shape) =>
        UserKeyParameter.Substitute(PolicyExpressions.Inline(PolicyExpressions.Inline(shape, Marker(nameof(RecordRule)), AccessPolicy.RecordReadRule), Marker(nameof(Headed)), HeaderProjection));

    /// <summary>A <see cref="RecordFilter"/> as the list query's parameters (each null where the filter does not narrow).</summary>
    private readonly record struct FilterParameters(string? Domain, Classification? Classification, AgencyId? Originator, DateTimeOffset? From, DateTimeOffset? To)
    {
        public static FilterParameters Of(RecordFilter filter) => new(
            filter.ThreatDomain is { } domain ? RecordFilter.DomainPattern(domain) : null,
            filter.Classification,
            filter.Originator,
            filter.CreatedFrom is { } from ? RecordFilter.StartOf(from) : null,
            filter.CreatedTo is { } to ? RecordFilter.StartOf(to.AddDays(1)) : null);
    }

    private static class ListShape<TContext>
        where TContext : JisrDbContext
    {
        public static readonly Expression<Func<TContext, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, string?, Classification?, AgencyId?, DateTimeOffset?, DateTimeOffset?, long?, int, IQueryable<SequencedHeader>>> Expression =
            Spliced((Expression<Func<TContext, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, string?, Classification?, AgencyId?, DateTimeOffset?, DateTimeOffset?, long?, int, IQueryable<SequencedHeader>>>)(
                (db, agencyId, clearance, userId, userKey, now, today, domain, classification, originator, from, to, before, take) =>
                    db.Records.AsNoTracking()
                        .Where(r => RecordRule(r, new ReadContext(db.Agreements, agencyId, clearance, userId, now, today)))
                        .Where(r => domain == null || ("," + (string)(object)r.ThreatDomains + ",").Contains(domain))
                        .Where(r => classification == null || r.Marking.Classification == classification)
                        .Where(r => originator == null || r.OriginatorAgencyId == originator)
                        .Where(r => from == null || r.CreatedAt >= from)
                        .Where(r => to == null || r.CreatedAt < to)
                        .Where(r => before == null || EF.Property<long>(r, RecordConfiguration.SequenceColumn) < before)
                        .OrderByDescending(r => EF.Property<long>(r, RecordConfiguration.SequenceColumn))
                        .Take(take)
                        .Select(r => Headed(r, EF.Property<long>(r, RecordConfiguration.SequenceColumn)))));
    }

    private static class SearchShape
    {
        public static readonly Expression<Func<SqliteJisrDbContext, string, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, long?, int, IQueryable<SequencedHeader>>> Expression =
            Spliced((Expression<Func<SqliteJisrDbContext, string, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, long?, int, IQueryable<SequencedHeader>>>)(
                (db, match, agencyId, clearance, userId, userKey, now, today, before, take) =>
                    db.Set<SearchIndexRow>()
                        .Where(h => h.Match == match && (before == null || h.Sequence < before))
                        .Join(
                            db.Records.AsNoTracking().Where(r => RecordRule(r, new ReadContext(db.Agreements, agencyId, clearance, userId, now, today))),
                            h => h.Sequence,
                            r => EF.Property<long>(r, RecordConfiguration.SequenceColumn),
                            (h, r) => new { h.Sequence, Record = r })
                        .OrderByDescending(x => x.Sequence)
                        .Take(take)
                        .Select(x => Headed(x.Record, x.Sequence))));
    }

    /// <summary>The compiled queries of one memory cache of EF Core's services (<see cref="CompiledQuerySets{TQueries}"/>).</summary>
    private sealed class Queries<TContext>
        where TContext : JisrDbContext
    {
        public static Queries<TContext> Of(TContext db) => CompiledQuerySets<Queries<TContext>>.Of(db);

        public readonly Func<TContext, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, string?, Classification?, AgencyId?, DateTimeOffset?, DateTimeOffset?, long?, int, IAsyncEnumerable<SequencedHeader>> List =
            EF.CompileAsyncQuery(ListShape<TContext>.Expression);
    }

    /// <summary>The compiled queries of SQLite's full-text search, per memory cache (<see cref="CompiledQuerySets{TQueries}"/>).</summary>
    private sealed class SqliteQueries
    {
        public static SqliteQueries Of(SqliteJisrDbContext db) => CompiledQuerySets<SqliteQueries>.Of(db);

        public readonly Func<SqliteJisrDbContext, string, AgencyId, Classification, UserId, Guid, DateTimeOffset, DateOnly, long?, int, IAsyncEnumerable<SequencedHeader>> Search =
            EF.CompileAsyncQuery(SearchShape.Expression);

        public readonly Func<SqliteJisrDbContext, string, int, IAsyncEnumerable<string>> Words =
            EF.CompileAsyncQuery((SqliteJisrDbContext db, string prefix, int take) => db.Set<SearchWordRow>().Where(w => w.Match == prefix).Select(w => w.Word).Take(take));
    }
}
