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
        // The FTS rowid is the record's sequence (its rowid): matching on it lets SQLite probe the records by primary
        // key in sequence order, where matching on the record id went through a second index and a sort.
        var matches = Hits(foldedTokens).Select(h => h.Sequence);
        return records.Where(r => matches.Contains(EF.Property<long>(r, RecordConfiguration.SequenceColumn)));
    }

    /// <summary>
    /// A page of a search walks the text index newest first (FTS5 returns its rows in rowid order, and the rowid is the
    /// record's sequence) and reads each hit's record by primary key, checking the policy filter of
    /// <paramref name="records"/> on it, until the page is full. The set is the same as <see cref="WhereSearchTextMatches"/>'s;
    /// only the order of work differs: the <c>IN</c> form first collected every hit into a temporary table (14 ms for a
    /// word in each of 100,000 records), this one stops after a page. The order is by the index's rowid, which SQLite
    /// hands to FTS5 (so the cursor's bound and the order cost nothing); ordering by the record's column would sort.
    /// The match is a LINQ condition on the mapped index (<see cref="SearchIndexRow"/>), so EF keeps the query's SQL.
    /// </summary>
    internal override IQueryable<SequencedRecord> SearchNewestFirst(IQueryable<Record> records, IReadOnlyList<string> foldedTokens, long? before)
    {
        var query = FtsQuery(foldedTokens);
        var hits = Set<SearchIndexRow>().Where(h => h.Match == query);
        if (before is { } after)
        {
            hits = hits.Where(h => h.Sequence < after);
        }

        return hits
            .Join(records, h => h.Sequence, r => EF.Property<long>(r, RecordConfiguration.SequenceColumn), (h, r) => new { h.Sequence, Record = r })
            .OrderByDescending(x => x.Sequence)
            .Select(x => new SequencedRecord(x.Record, x.Sequence));
    }

    private IQueryable<SearchHit> Hits(IReadOnlyList<string> foldedTokens)
    {
        var query = FtsQuery(foldedTokens);
        return Set<SearchHit>().FromSqlInterpolated($"SELECT rowid AS Sequence FROM RecordSearch WHERE RecordSearch MATCH {query}");
    }

    private static string FtsQuery(IReadOnlyList<string> foldedTokens) =>
        string.Join(' ', foldedTokens.Select(t => $"\"{t.Replace("\"", "\"\"", StringComparison.Ordinal)}\"*"));

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
        builder.Entity<SearchIndexRow>(row =>
        {
            row.HasNoKey().ToTable("RecordSearch", t => t.ExcludeFromMigrations());
            row.Property(h => h.Sequence).HasColumnName("rowid");
            row.Property(h => h.Match).HasColumnName("RecordSearch");
        });
    }
}
