using Jisr.Domain.Common;
using Jisr.Domain.Records;
using Jisr.Storage.Records;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Jisr.Storage;

/// <summary>PostgreSQL for scale: full-text search over a stored tsvector ('simple' configuration: the text is already folded) with a GIN index.</summary>
public sealed class PostgresJisrDbContext : JisrDbContext
{
    private const string SearchVectorColumn = "SearchVector";

    public PostgresJisrDbContext(DbContextOptions<PostgresJisrDbContext> options)
        : base(options)
    {
    }

    /// <summary>tsquery: every token must occur, each as a prefix ('tok':*); quotes are doubled, so no token is read as syntax.</summary>
    public override IQueryable<RecordId> MatchSearchText(IReadOnlyList<string> foldedTokens)
    {
        var query = string.Join(" & ", foldedTokens.Select(t => $"'{t.Replace("'", "''", StringComparison.Ordinal)}':*"));
        return Set<SearchHit>()
            .FromSqlInterpolated($"SELECT \"Id\" AS \"RecordId\" FROM \"Records\" WHERE \"SearchVector\" @@ to_tsquery('simple', {query})")
            .Select(h => h.RecordId);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<SearchHit>().HasNoKey().ToView(null);
        builder.Entity<Record>(record =>
        {
            record.Property<NpgsqlTsVector>(SearchVectorColumn)
                .HasComputedColumnSql($"to_tsvector('simple', coalesce(\"{SearchTextColumn}\", ''))", stored: true);
            record.HasIndex(SearchVectorColumn).HasMethod("GIN");
        });
    }
}
