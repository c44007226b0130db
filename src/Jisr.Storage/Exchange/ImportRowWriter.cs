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
/// It may run on another thread than the context's owner (one batch at a time): it takes what it needs from the
/// context here, and afterwards uses only the model (read only) and the connection, which the owner leaves alone
/// while a batch is written.
/// </summary>
internal sealed class ImportRowWriter : IAsyncDisposable
{
    private readonly IModel _model;
    private readonly ISqlGenerationHelper _sql;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Dictionary<Type, Insert> _inserts = [];

    public ImportRowWriter(JisrDbContext db, IDbContextTransaction transaction)
    {
        _model = db.Model;
        _sql = db.GetService<ISqlGenerationHelper>();
        _connection = db.Database.GetDbConnection();
        _transaction = transaction.GetDbTransaction();
    }

    /// <summary>Writes the rows in their order.</summary>
    public async Task WriteAllAsync(IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            var type = row.GetType();
            if (!_inserts.TryGetValue(type, out var insert))
            {
                insert = await Insert.CreateAsync(_model, _sql, _connection, _transaction, type, cancellationToken);
                _inserts[type] = insert;
            }

            await insert.ExecuteAsync(row, cancellationToken);
        }
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

        public static async Task<Insert> CreateAsync(IModel model, ISqlGenerationHelper sql, DbConnection connection, DbTransaction transaction, Type clrType, CancellationToken cancellationToken)
        {
            var entityType = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model");
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var command = connection.CreateCommand();
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
