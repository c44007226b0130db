using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Jisr.Storage.Audit;

/// <summary>
/// The group commit's INSERT of audit entries when a batch holds nothing else (reads, searches, lists: most batches of a
/// busy node). EF Core's SaveChanges tracked each entry, built its modification command and the batch's SQL again for
/// every commit: about 8% of a record read's CPU. This is one INSERT statement, kept prepared on the writer's kept
/// SQLite connection and run once per entry, with the table, the columns and each value's conversion taken from the
/// context's model (<see cref="RelationalTypeMapping.CreateParameter"/>, what SaveChanges binds with), so a row stored
/// this way is the row SaveChanges would store. Runs in the chain's transaction, under its lock, one batch at a time.
/// </summary>
internal sealed partial class AuditEntryInsert : IDisposable
{
    private readonly DbCommand _command;
    private readonly Column[] _columns;

    private AuditEntryInsert(DbCommand command, Column[] columns)
    {
        _command = command;
        _columns = columns;
    }

    /// <summary>The insert for the entries table of <paramref name="db"/>'s model, on its (open, kept) connection.</summary>
    public static AuditEntryInsert For(JisrDbContext db)
    {
        var (sql, columns) = Statement(db, i => $"@p{i}");
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql + ";";
        return new AuditEntryInsert(command, columns);
    }

    /// <summary>The INSERT of one entry into the entries table of <paramref name="db"/>'s model, its placeholders named by <paramref name="placeholder"/>.</summary>
    private static (string Sql, Column[] Columns) Statement(JisrDbContext db, Func<int, string> placeholder)
    {
        var entityType = db.Model.FindEntityType(typeof(AuditEntry)) ?? throw new InvalidOperationException("the model has no audit entries");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entityType.GetProperties()
            .Select((property, i) => new Column(
                property.GetColumnName(table) ?? throw new InvalidOperationException($"audit entry property {property.Name} has no column"),
                placeholder(i),
                property.GetRelationalTypeMapping(),
                property.GetGetter(),
                property.IsNullable))
            .ToArray();
        var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) "
            + $"VALUES ({string.Join(", ", columns.Select(c => c.Parameter))})";
        return (text, columns);
    }

    /// <summary>Inserts <paramref name="entries"/> in <paramref name="transaction"/>, one execution of the kept statement each.</summary>
    public async Task InsertAsync(IReadOnlyList<AuditEntry> entries, DbTransaction transaction, CancellationToken cancellationToken)
    {
        _command.Transaction = transaction;
        try
        {
            foreach (var entry in entries)
            {
                _command.Parameters.Clear();
                foreach (var column in _columns)
                {
                    _command.Parameters.Add(column.Mapping.CreateParameter(_command, column.Parameter, column.Getter.GetClrValueUsingContainingEntity(entry), column.Nullable));
                }

                var inserted = await _command.ExecuteNonQueryAsync(cancellationToken);
                if (inserted != 1)
                {
                    throw new InvalidOperationException($"audit entry {entry.Sequence} was not stored ({inserted} rows)");
                }
            }
        }
        finally
        {
            _command.Parameters.Clear();
            _command.Transaction = null;
        }
    }

    /// <summary>Finalizes the kept statement (before its connection closes).</summary>
    public void Dispose() => _command.Dispose();

    private sealed record Column(string Name, string Parameter, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, bool Nullable);
}
