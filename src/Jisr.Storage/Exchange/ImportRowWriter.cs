using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Jisr.Storage.Exchange;

/// <summary>
/// Prepared INSERTs for an import's bulk rows (received STIX objects, entities), one per concrete CLR type, inside the
/// import's transaction. Each is built from the EF model (table, columns, discriminator, value converters and parameter
/// types of the provider in use), so a row is stored exactly as EF would store it, without the change tracker's cost
/// per row. Only plain mapped properties are written: a type with other shadow properties is refused at build time.
/// </summary>
internal sealed class ImportRowWriter : IAsyncDisposable
{
    private readonly JisrDbContext _db;
    private readonly DbTransaction _transaction;
    private readonly Dictionary<Type, Insert> _inserts = [];

    public ImportRowWriter(JisrDbContext db, IDbContextTransaction transaction)
    {
        _db = db;
        _transaction = transaction.GetDbTransaction();
    }

    public async Task WriteAsync(object row, CancellationToken cancellationToken)
    {
        var type = row.GetType();
        if (!_inserts.TryGetValue(type, out var insert))
        {
            insert = await Insert.CreateAsync(_db, _transaction, type, cancellationToken);
            _inserts[type] = insert;
        }

        await insert.ExecuteAsync(row, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var insert in _inserts.Values)
        {
            await insert.Command.DisposeAsync();
        }

        _inserts.Clear();
    }

    private sealed class Insert(DbCommand command, (DbParameter Parameter, Func<object, object?> Value)[] columns)
    {
        public DbCommand Command { get; } = command;

        public static async Task<Insert> CreateAsync(JisrDbContext db, DbTransaction transaction, Type clrType, CancellationToken cancellationToken)
        {
            var entityType = db.Model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model");
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction;
            var columns = new List<(DbParameter, Func<object, object?>)>();
            var names = new List<string>();
            var discriminator = entityType.FindDiscriminatorProperty();
            foreach (var property in entityType.GetProperties())
            {
                if (property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never)
                {
                    continue; // a sequence: the database numbers the rows
                }

                Func<object, object?> read;
                if (property == discriminator)
                {
                    var value = entityType.GetDiscriminatorValue();
                    read = _ => value;
                }
                else if (property.IsShadowProperty() || property.ValueGenerated != ValueGenerated.Never)
                {
                    throw new InvalidOperationException($"{clrType.Name}.{property.Name} cannot be written without EF");
                }
                else
                {
                    var getter = property.GetGetter();
                    read = getter.GetClrValueUsingContainingEntity;
                }

                var mapping = (RelationalTypeMapping)property.GetTypeMapping();
                var parameter = mapping.CreateParameter(command, "@p" + columns.Count.ToString(CultureInfo.InvariantCulture), null, property.IsNullable);
                command.Parameters.Add(parameter);
                var converter = mapping.Converter;
                columns.Add((parameter, converter is null ? read : row => read(row) is { } v ? converter.ConvertToProvider(v) : null));
                names.Add(sql.DelimitIdentifier(property.GetColumnName(table)!));
            }

            command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", columns.Select(c => c.Item1.ParameterName))})";
            await command.PrepareAsync(cancellationToken);
            return new Insert(command, [.. columns]);
        }

        public async Task ExecuteAsync(object row, CancellationToken cancellationToken)
        {
            foreach (var (parameter, value) in columns)
            {
                parameter.Value = value(row) ?? DBNull.Value;
            }

            await Command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
