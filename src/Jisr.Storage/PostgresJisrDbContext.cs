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
    public override IQueryable<Record> WhereSearchTextMatches(IQueryable<Record> records, IReadOnlyList<string> foldedTokens)
    {
        var query = string.Join(" & ", foldedTokens.Select(t => $"'{t.Replace("'", "''", StringComparison.Ordinal)}':*"));

        // A condition on the row itself: the planner picks the GIN index for a rare word and the newest-first index
        // (checking the vector per row until the page is full) for a common one.
        return records.Where(r => EF.Property<NpgsqlTsVector>(r, SearchVectorColumn).Matches(EF.Functions.ToTsQuery("simple", query)));
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Record>(record =>
        {
            record.Property<NpgsqlTsVector>(SearchVectorColumn)
                .HasComputedColumnSql($"to_tsvector('simple', coalesce(\"{SearchTextColumn}\", ''))", stored: true);
            record.HasIndex(SearchVectorColumn).HasMethod("GIN");
        });
    }
}
