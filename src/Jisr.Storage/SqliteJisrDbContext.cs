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
    /// record's sequence) and reads each hit's record by primary key, checking the caller's policy filter on it, until the page is full. The set is the same as <see cref="WhereSearchTextMatches"/>'s;
    /// only the order of work differs: the <c>IN</c> form first collected every hit into a temporary table (14 ms for a
    /// word in each of 100,000 records), this one stops after a page. The order is by the index's rowid, which SQLite
    /// hands to FTS5 (so the cursor's bound and the order cost nothing); ordering by the record's column would sort.
    /// The match is a condition on the mapped index (<see cref="SearchIndexRow"/>) in a compiled query
    /// (<see cref="CompiledPages.Search"/>). Each token's prefix is first turned into the whole words it begins (<see cref="MatchQueryAsync"/>).
    /// </summary>
    internal override async Task<IQueryable<SequencedHeader>> SearchQueryAsync(Principal principal, DateTimeOffset now, IReadOnlyList<string> foldedTokens, long? before, int take, CancellationToken cancellationToken) =>
        CompiledPages.SearchQuery(this, principal, now, await MatchQueryAsync(foldedTokens, cancellationToken), before, take);

    /// <summary>The same search compiled (<see cref="CompiledPages.Search"/>).</summary>
    internal override async Task<IAsyncEnumerable<SequencedHeader>> SearchNewestFirstAsync(Principal principal, DateTimeOffset now, IReadOnlyList<string> foldedTokens, long? before, int take, CancellationToken cancellationToken) =>
        CompiledPages.Search(this, principal, now, await MatchQueryAsync(foldedTokens, cancellationToken), before, take);

    /// <summary>How many whole words a token's prefix may stand for; a prefix that begins more stays a prefix match.</summary>
    internal const int MaxWordsPerPrefix = 32;

    /// <summary>
    /// The FTS5 query of a search: every token must occur. A token is a prefix ("tok"*), which FTS5 answers by merging
    /// the hit lists of every word it begins before it returns a row (2.8 ms for a word in each of 100,000 records); a
    /// whole word's hit list it reads lazily, newest first, and stops with the page. So each token is first looked up in
    /// the word list (<c>SearchWordIndex</c>, the distinct words of the indexed texts, with the same tokenizer) and becomes
    /// the words it begins, <c>("word1" OR "word2")</c>, the tokens joined by AND: the texts holding one of them are exactly the texts holding a
    /// word the prefix begins (the list holds every word of every indexed text; the triggers keep it). A token that
    /// begins no word, or more than <see cref="MaxWordsPerPrefix"/>, or that is not a single run of letters and digits
    /// (so not a single token to FTS5), stays a prefix.
    /// </summary>
    internal async Task<string> MatchQueryAsync(IReadOnlyList<string> foldedTokens, CancellationToken cancellationToken)
    {
        var parts = new List<string>(foldedTokens.Count);
        foreach (var token in foldedTokens)
        {
            var prefix = Prefix(token);
            var words = new List<string>();
            if (IsOneTokenToFts(token))
            {
                await foreach (var word in CompiledPages.WordsBeginning(this, prefix, MaxWordsPerPrefix + 1).WithCancellation(cancellationToken))
                {
                    words.Add(word);
                }
            }

            parts.Add(words.Count is > 0 and <= MaxWordsPerPrefix ? $"({string.Join(" OR ", words.Select(Phrase))})" : prefix);
        }

        return string.Join(" AND ", parts); // FTS5 reads no implicit AND after a parenthesised group
    }

    private static bool IsOneTokenToFts(string token)
    {
        foreach (var rune in token.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune))
            {
                return false;
            }
        }

        return token.Length > 0;
    }

    private IQueryable<SearchHit> Hits(IReadOnlyList<string> foldedTokens)
    {
        var query = string.Join(' ', foldedTokens.Select(Prefix));
        return Set<SearchHit>().FromSqlInterpolated($"SELECT rowid AS Sequence FROM RecordSearch WHERE RecordSearch MATCH {query}");
    }

    /// <summary>A token as an FTS5 phrase: quotes doubled, so no token is read as syntax.</summary>
    private static string Phrase(string token) => $"\"{token.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Prefix(string token) => Phrase(token) + "*";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite has no date-time type; storing instants as UTC ticks keeps full precision, ordering and comparisons in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    // Internal, not private: the compiled model (CompiledModels/Sqlite) makes it by name.
    internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
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
        builder.Entity<SearchWordRow>(row =>
        {
            row.HasNoKey().ToTable("SearchWordIndex", t => t.ExcludeFromMigrations());
            row.Property(w => w.Match).HasColumnName("SearchWordIndex");
        });
    }
}
