using Microsoft.EntityFrameworkCore.Migrations;

namespace Jisr.Storage.Migrations.Sqlite;

/// <summary>
/// Full-text search on SQLite: an FTS5 table whose rowid is the record's Sequence, kept in step with
/// Records.SearchText by triggers, so a record and its index entry are written in the same transaction.
/// </summary>
/// <remarks>
/// SQLite cannot add a foreign key to a table: EF Core rebuilds the table instead, which drops its triggers. A
/// migration that rebuilds Records must be followed by one that calls <see cref="CreateTriggers"/> (the rebuild runs
/// at the end of its migration; the search index itself survives).
/// </remarks>
internal static class SqliteSearchSchema
{
    public static void Create(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE RecordSearch USING fts5(RecordId UNINDEXED, SearchText, tokenize = 'unicode61 remove_diacritics 2');
            """);
        CreateTriggers(migrationBuilder);
    }

    public static void CreateTriggers(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TRIGGER IF NOT EXISTS Records_Search_Insert AFTER INSERT ON Records BEGIN
              INSERT INTO RecordSearch(rowid, RecordId, SearchText) VALUES (new.Sequence, new.Id, new.SearchText);
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER IF NOT EXISTS Records_Search_Update AFTER UPDATE OF SearchText ON Records BEGIN
              UPDATE RecordSearch SET SearchText = new.SearchText WHERE rowid = old.Sequence;
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER IF NOT EXISTS Records_Search_Delete AFTER DELETE ON Records BEGIN
              DELETE FROM RecordSearch WHERE rowid = old.Sequence;
            END;
            """);
    }
}
