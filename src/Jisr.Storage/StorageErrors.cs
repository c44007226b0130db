using Microsoft.Data.Sqlite;
using Npgsql;

namespace Jisr.Storage;

/// <summary>What the two database providers report in their own words, read once here.</summary>
internal static class StorageErrors
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>A unique index on <paramref name="table"/> refused the change: a concurrent request stored the same thing first.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception, string table) => exception.InnerException switch
    {
        // SQLite names the table only in its message: "UNIQUE constraint failed: Releases.RecordId, ...".
        SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey } sqlite => sqlite.Message.Contains($" {table}.", StringComparison.Ordinal),
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres => postgres.TableName == table,
        _ => false,
    };
}
