namespace Jisr.Storage.Records;

/// <summary>
/// A row of SQLite's FTS5 table <c>SearchWordIndex</c> (every distinct word of the records' search texts) as EF Core
/// reads it: the word, and the hidden column of the table's own name, on which FTS5 reads <c>= query</c> as
/// <c>MATCH query</c>. Mapped (not created: the table is the migrations' own SQL) so that a search's word lookup is a
/// compiled query, like the page it feeds (<see cref="SearchIndexRow"/>).
/// </summary>
public sealed class SearchWordRow
{
    public string Word { get; set; } = "";

    /// <summary>The FTS5 query the word matches (only ever compared, never read).</summary>
    public string Match { get; set; } = "";
}
