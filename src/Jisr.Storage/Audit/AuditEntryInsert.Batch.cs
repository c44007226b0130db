using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Jisr.Storage.Audit;

/// <summary>
/// PostgreSQL: a group-commit batch of entries alone goes to the server as one batch of the same one-row INSERT (one
/// round trip), rather than through EF Core's SaveChanges, which tracked every entry and built the batch's SQL again
/// for each commit. The statement never changes, so Npgsql's auto-prepare plans it once per pooled connection whatever
/// the batch's size (a multi-row INSERT would be a new statement for every size). Positional placeholders: Npgsql
/// sends the text as written, without parsing it for names. The same columns and value conversions as SaveChanges.
/// </summary>
internal sealed partial class AuditEntryInsert
{
    private static readonly ConditionalWeakTable<IModel, Shape> Shapes = [];

    /// <summary>Inserts <paramref name="entries"/> through <paramref name="db"/>'s connection in <paramref name="transaction"/>, in one batch.</summary>
    public static async Task InsertBatchAsync(JisrDbContext db, IReadOnlyList<AuditEntry> entries, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (!Shapes.TryGetValue(db.Model, out var shape))
        {
            var (sql, columns) = Statement(db, i => $"${i + 1}");
            shape = new Shape(sql, columns);
            Shapes.AddOrUpdate(db.Model, shape);
        }

        var connection = db.Database.GetDbConnection();
        await using var batch = connection.CreateBatch();
        await using var parameters = connection.CreateCommand(); // makes the parameters only: RelationalTypeMapping binds through a command
        batch.Transaction = transaction;
        foreach (var entry in entries)
        {
            var insert = batch.CreateBatchCommand();
            insert.CommandText = shape.Sql;
            foreach (var column in shape.Columns)
            {
                insert.Parameters.Add(column.Mapping.CreateParameter(parameters, "", column.Getter.GetClrValueUsingContainingEntity(entry), column.Nullable));
            }

            batch.BatchCommands.Add(insert);
        }

        var inserted = await batch.ExecuteNonQueryAsync(cancellationToken);
        if (inserted != entries.Count)
        {
            throw new InvalidOperationException($"{inserted} of {entries.Count} audit entries were stored");
        }
    }

    private sealed record Shape(string Sql, Column[] Columns);
}
