using Microsoft.EntityFrameworkCore.Migrations;

namespace Jisr.Storage.Migrations.Sqlite;

/// <summary>
/// Full-text search on SQLite: an FTS5 table whose rowid is the record's Sequence, kept in step with
/// Records.SearchText by triggers, so a record and its index entry are written in the same transaction. Beside it, the
/// search text's distinct words (<c>SearchWords</c>) with an FTS5 index of their own (<c>SearchWordIndex</c>), kept by
/// the same triggers: a query's prefix is looked up there and becomes the few whole words it begins (see
/// <see cref="SqliteJisrDbContext"/>).
/// </summary>
/// <remarks>
/// SQLite cannot add a foreign key to a table: EF Core rebuilds the table instead, which drops its triggers. A
/// migration that rebuilds Records must be followed by one that calls <see cref="CreateTriggers"/> with keepWords
/// (the rebuild runs at the end of its migration; the search index and the word list survive).
/// </remarks>
internal static class SqliteSearchSchema
{
    public static void Create(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE RecordSearch USING fts5(RecordId UNINDEXED, SearchText, tokenize = 'unicode61 remove_diacritics 2');
            """);
        CreateTriggers(migrationBuilder, keepWords: false);
    }

    /// <summary>
    /// The word list and its index (same tokenizer as <c>RecordSearch</c>, so a prefix finds exactly the words whose
    /// tokens it begins), filled from the records already indexed.
    /// </summary>
    public static void CreateWords(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE TABLE SearchWords (Id INTEGER PRIMARY KEY, Word TEXT NOT NULL UNIQUE);");
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE SearchWordIndex USING fts5(Word, content = 'SearchWords', content_rowid = 'Id', tokenize = 'unicode61 remove_diacritics 2');
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER SearchWords_Insert AFTER INSERT ON SearchWords BEGIN
              INSERT INTO SearchWordIndex(rowid, Word) VALUES (new.Id, new.Word);
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER SearchWords_Delete AFTER DELETE ON SearchWords BEGIN
              INSERT INTO SearchWordIndex(SearchWordIndex, rowid, Word) VALUES ('delete', old.Id, old.Word);
            END;
            """);
        migrationBuilder.Sql($"INSERT OR IGNORE INTO SearchWords(Word) SELECT value FROM Records, {WordsOf("Records.SearchText")} WHERE value <> '';");
    }

    /// <summary>Reverts <see cref="CreateWords"/>: the search triggers without the word list, then the list dropped.</summary>
    public static void DropWords(MigrationBuilder migrationBuilder)
    {
        CreateTriggers(migrationBuilder, keepWords: false);
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS SearchWords_Insert;");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS SearchWords_Delete;");
        migrationBuilder.Sql("DROP TABLE IF EXISTS SearchWordIndex;");
        migrationBuilder.Sql("DROP TABLE IF EXISTS SearchWords;");
    }

    /// <summary>
    /// The index follows the record's search text; so does the word list. A word is added with the first text that holds
    /// it and removed once no indexed text holds it (a deleted or purged record leaves no word behind); the removal is
    /// checked after the index has dropped the old text, which is why one trigger does both, in this order.
    /// </summary>
    /// <remarks>
    /// <paramref name="keepWords"/> false: the triggers as migrations before the word list made them (SQLite checks a
    /// trigger's tables when a later migration renames a table, so a trigger may not name the list before it exists).
    /// </remarks>
    public static void CreateTriggers(MigrationBuilder migrationBuilder, bool keepWords)
    {
        var addWords = keepWords ? AddWords("new.SearchText") : "";
        var removeUnusedWords = keepWords ? RemoveUnusedWords("old.SearchText") : "";
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS Records_Search_Insert;");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS Records_Search_Update;");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS Records_Search_Delete;");
        migrationBuilder.Sql($"""
            CREATE TRIGGER Records_Search_Insert AFTER INSERT ON Records BEGIN
              INSERT INTO RecordSearch(rowid, RecordId, SearchText) VALUES (new.Sequence, new.Id, new.SearchText);
              {addWords}
            END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER Records_Search_Update AFTER UPDATE OF SearchText ON Records BEGIN
              UPDATE RecordSearch SET SearchText = new.SearchText WHERE rowid = old.Sequence;
              {addWords}
              {removeUnusedWords}
            END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER Records_Search_Delete AFTER DELETE ON Records BEGIN
              DELETE FROM RecordSearch WHERE rowid = old.Sequence;
              {removeUnusedWords}
            END;
            """);
    }

    /// <summary>
    /// The space-separated words of a text as rows of <c>value</c>: the text quoted as a JSON string (json_quote escapes
    /// quotes, backslashes and control characters, and no escape holds a space), each space made a string boundary.
    /// </summary>
    private static string WordsOf(string text) => $"""json_each('[' || replace(json_quote({text}), ' ', '","') || ']')""";

    private static string AddWords(string text) =>
        $"INSERT OR IGNORE INTO SearchWords(Word) SELECT value FROM {WordsOf(text)} WHERE value <> '';";

    private static string RemoveUnusedWords(string text) =>
        $"""DELETE FROM SearchWords WHERE Word IN (SELECT value FROM {WordsOf(text)}) AND NOT EXISTS (SELECT 1 FROM RecordSearch WHERE RecordSearch MATCH '"' || replace(SearchWords.Word, '"', '""') || '"');""";
}
