using Jisr.Storage.Configurations;

namespace Jisr.Storage;

/// <summary>The embedded default: one SQLite file in WAL mode, full-text search through an FTS5 table kept by triggers.</summary>
public sealed class SqliteJisrDbContext : JisrDbContext
{
    public SqliteJisrDbContext(DbContextOptions<SqliteJisrDbContext> options)
        : base(options)
    {
    }

    /// <summary>FTS5 query: every token must occur, each as a prefix ("tok"*); quotes are doubled, so no token is read as syntax.</summary>
    public override IQueryable<Record> WhereSearchTextMatches(IQueryable<Record> records, IReadOnlyList<string> foldedTokens)
    {
        var query = string.Join(' ', foldedTokens.Select(t => $"\"{t.Replace("\"", "\"\"", StringComparison.Ordinal)}\"*"));

        // The FTS rowid is the record's sequence (its rowid): matching on it lets SQLite probe the records by primary
        // key in sequence order, where matching on the record id went through a second index and a sort.
        var matches = Set<SearchHit>()
            .FromSqlInterpolated($"SELECT rowid AS Sequence FROM RecordSearch WHERE RecordSearch MATCH {query}")
            .Select(h => h.Sequence);
        return records.Where(r => matches.Contains(EF.Property<long>(r, RecordConfiguration.SequenceColumn)));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite has no date-time type; storing instants as UTC ticks keeps full precision, ordering and comparisons in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<SearchHit>().HasNoKey().ToView(null);
    }
}
