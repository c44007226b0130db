using System.Data.Common;
using Jisr.Domain.Exchange;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Jisr.Storage.Exchange;

/// <summary>
/// One prepared INSERT into <c>StixObjects</c> inside an import's transaction, built from the EF model (table, columns,
/// value converters and parameter types of the provider in use), so a row is stored exactly as EF would store it,
/// without the change tracker's cost per row.
/// </summary>
internal sealed class ReceivedObjectWriter : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly (IProperty Property, DbParameter Parameter, Func<object?, object?> ToProvider)[] _columns;

    private ReceivedObjectWriter(DbCommand command, (IProperty, DbParameter, Func<object?, object?>)[] columns)
    {
        _command = command;
        _columns = columns;
    }

    public static async Task<ReceivedObjectWriter> CreateAsync(JisrDbContext db, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var entityType = db.Model.FindEntityType(typeof(ReceivedStixObject)) ?? throw new InvalidOperationException("StixObjects is not in the model");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var connection = db.Database.GetDbConnection();
        var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var columns = new List<(IProperty, DbParameter, Func<object?, object?>)>();
        var names = new List<string>();
        foreach (var property in entityType.GetProperties())
        {
            if (property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never)
            {
                continue; // Sequence: the database numbers the rows
            }

            var mapping = (RelationalTypeMapping)property.GetTypeMapping();
            var name = "@p" + columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var parameter = mapping.CreateParameter(command, name, null, property.IsNullable);
            command.Parameters.Add(parameter);
            var converter = mapping.Converter;
            Func<object?, object?> toProvider = converter is null ? v => v : v => v is null ? null : converter.ConvertToProvider(v);
            columns.Add((property, parameter, toProvider));
            names.Add(sql.DelimitIdentifier(property.GetColumnName(table)!));
        }

        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", columns.Select(c => c.Item2.ParameterName))})";
        await command.PrepareAsync(cancellationToken);
        return new ReceivedObjectWriter(command, [.. columns]);
    }

    public async Task WriteAsync(ReceivedStixObject received, CancellationToken cancellationToken)
    {
        foreach (var (property, parameter, toProvider) in _columns)
        {
            parameter.Value = toProvider(property.GetGetter().GetClrValue(received)) ?? DBNull.Value;
        }

        await _command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
