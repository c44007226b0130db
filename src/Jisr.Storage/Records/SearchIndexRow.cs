namespace Jisr.Storage.Records;

/// <summary>
/// A row of SQLite's FTS5 table <c>RecordSearch</c> as EF Core reads it: its rowid (the record's sequence, which the
/// triggers that keep the index write) and its hidden column of the table's own name, on which FTS5 reads
/// <c>= query</c> as <c>MATCH query</c>. Mapped (not created: the table is the migrations' own SQL) so that a search is
/// a compiled query (<see cref="CompiledPages.Search"/>), where a raw-SQL match was planned and its SQL generated on
/// every search.
/// </summary>
public sealed class SearchIndexRow
{
    public long Sequence { get; set; }

    /// <summary>The FTS5 query the row matches (only ever compared, never read).</summary>
    public string Match { get; set; } = "";
}
