using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jisr.Storage.Records;

/// <summary>
/// SQLite contexts on connections that stay open, whose statements stay prepared, for the hottest reads (one record by
/// id, <see cref="CompiledReads"/>; the name match's candidates and the graph's one step, <see cref="CompiledEntityReads"/>). Microsoft.Data.Sqlite compiles a command's SQL again for every new command and
/// finalizes its statements when the connection closes, and EF Core opens, runs and closes a command per query: compiling
/// the record query was ~14.5% of a warm record read's CPU. A lane is rented by one read at a time; when every lane is
/// busy the read runs on the request's own context, as before. Only the query's plan is kept: it still runs in full on
/// every read (the policy rule is in its SQL), so nothing read or decided outlives a change.
/// </summary>
public sealed class SqliteReadLanes : IDisposable
{
    private readonly DbContextOptions<SqliteJisrDbContext> _options;
    private readonly string _connectionString;
    private readonly int _maxLanes;
    private readonly ConcurrentBag<Lane> _idle = new();
    private int _lanes;
    private bool _disposed;

    /// <param name="location">The SQLite database.</param>
    /// <param name="options">
    /// The options of the contexts whose reads the lanes take over (a node's pooled contexts), so that lanes run on the
    /// same EF Core services: the same memory cache, hence the queries those contexts have compiled already
    /// (<see cref="CompiledQuerySets{TQueries}"/>). Without them, the options of <see cref="JisrDatabase.Open"/>.
    /// </param>
    /// <param name="maxLanes">At most this many lanes (connections kept open); by default twice the cores, at least 4.</param>
    public SqliteReadLanes(DatabaseLocation location, DbContextOptions<SqliteJisrDbContext>? options = null, int? maxLanes = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Provider != DatabaseProvider.Sqlite)
        {
            throw new ArgumentException("read lanes are for SQLite databases", nameof(location));
        }

        if (options is null)
        {
            var builder = new DbContextOptionsBuilder<SqliteJisrDbContext>();
            JisrDatabase.ConfigureSqlite(builder, location.Target);
            options = builder.Options;
        }

        _options = options;
        _connectionString = JisrDatabase.SqliteConnectionString(location.Target);
        _maxLanes = maxLanes ?? Math.Max(4, 2 * Environment.ProcessorCount);
    }

    /// <summary>How many lanes are open now (for tests).</summary>
    public int OpenLanes => Volatile.Read(ref _lanes);

    /// <summary>
    /// Runs <paramref name="read"/> on a lane, or on <paramref name="fallback"/> when every lane is busy or the fallback
    /// is inside a transaction (a read there must see that transaction's own changes).
    /// </summary>
    public async Task<T> RunAsync<T>(JisrDbContext fallback, Func<JisrDbContext, Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(read);
        var lane = fallback.Database.CurrentTransaction is null ? Rent() : null;
        if (lane is null)
        {
            return await read(fallback);
        }

        var healthy = false;
        try
        {
            // One read transaction (deferred: it takes no write lock) for the read's statements, so a read in several
            // statements sees one snapshot of the database, as a single statement does. It is begun and ended by the
            // lane's own prepared statements: the lane's connection serves this read alone, and EF Core's commands
            // need no transaction object to run inside it (a failed read closes the lane, which rolls it back).
            lane.Begin.ExecuteNonQuery();
            var result = await read(lane.Db);
            lane.Commit.ExecuteNonQuery();
            healthy = true;
            return result;
        }
        finally
        {
            Return(lane, healthy);
        }
    }

    private Lane? Rent()
    {
        if (_idle.TryTake(out var lane))
        {
            return lane;
        }

        if (Volatile.Read(ref _disposed))
        {
            return null;
        }

        if (Interlocked.Increment(ref _lanes) > _maxLanes)
        {
            Interlocked.Decrement(ref _lanes);
            return null;
        }

        try
        {
            return Lane.Open(_options, _connectionString);
        }
        catch
        {
            Interlocked.Decrement(ref _lanes);
            throw;
        }
    }

    /// <summary>A lane whose read failed is closed rather than reused: its connection's state is not known.</summary>
    private void Return(Lane lane, bool healthy)
    {
        if (!healthy || Volatile.Read(ref _disposed))
        {
            Close(lane);
            return;
        }

        _idle.Add(lane);
        if (Volatile.Read(ref _disposed))
        {
            Drain(); // disposed while this read ran
        }
    }

    private void Close(Lane lane)
    {
        lane.Dispose();
        Interlocked.Decrement(ref _lanes);
    }

    private void Drain()
    {
        while (_idle.TryTake(out var lane))
        {
            Close(lane);
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        Drain();
    }

    private sealed class Lane : IDisposable
    {
        private Lane(SqliteJisrDbContext db, SqliteConnection connection)
        {
            Db = db;
            Connection = connection;
            Begin = Prepared(connection, "BEGIN DEFERRED;");
            Commit = Prepared(connection, "COMMIT;");
        }

        public SqliteJisrDbContext Db { get; }

        public SqliteConnection Connection { get; }

        /// <summary>Begins the read's transaction (kept prepared, as the read's own statements are).</summary>
        public SqliteCommand Begin { get; }

        /// <summary>Ends the read's transaction.</summary>
        public SqliteCommand Commit { get; }

        private static SqliteCommand Prepared(SqliteConnection connection, string text)
        {
            var command = connection.CreateCommand();
            command.CommandText = text;
            command.Prepare();
            return command;
        }

        public static Lane Open(DbContextOptions<SqliteJisrDbContext> options, string connectionString)
        {
            var connection = new SqliteConnection(connectionString);
            var db = new SqliteJisrDbContext(options);
            try
            {
                db.Database.SetDbConnection(connection, contextOwnsConnection: true);
                db.Database.OpenConnection(); // opened by the caller's hand: EF Core leaves it open between queries
                Unmapped(connection);
                KeptStatements.Track(connection);
                return new Lane(db, connection);
            }
            catch
            {
                db.Dispose();
                connection.Dispose();
                throw;
            }
        }

        /// <summary>
        /// A lane reads its pages with <c>pread</c>, not through a memory map of the file: in WAL mode SQLite drops a
        /// connection's map at the first read transaction after any commit (<c>pagerBeginReadTransaction</c>), and on a
        /// node every read commits its audit entry, so a mapped lane unmapped the whole file and faulted its pages in
        /// again on nearly every read (a quarter of a search's CPU in the kernel: munmap and page faults).
        /// </summary>
        private static void Unmapped(SqliteConnection connection) => JisrDatabase.MapSqliteFile(connection, 0);

        public void Dispose()
        {
            var connection = Db.Database.GetDbConnection();
            if (connection.State == System.Data.ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0)
            {
                // A read that failed left its transaction open: the pool must not hand the connection on inside it.
                try
                {
                    using var rollback = Connection.CreateCommand();
                    rollback.CommandText = "ROLLBACK;";
                    rollback.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    SqliteConnection.ClearPool(Connection); // closed for good on dispose instead of pooled
                }
            }

            Begin.Dispose();
            Commit.Dispose();
            KeptStatements.Forget(connection);
            Db.Dispose();
            connection.Dispose(); // finalizes the kept statements with the connection
        }
    }

    /// <summary>
    /// On every SQLite context (so that lanes share the EF Core services of the others); acts on lanes' connections only. On a lane's connection, hands EF Core the command kept for the same SQL (its statements already prepared)
    /// instead of the new one, in the lane's read transaction, and keeps it from being disposed after its reader.
    /// Commands on other connections, or whose SQL is already running on the lane, pass through untouched.
    /// </summary>
    internal sealed class KeptStatements : DbCommandInterceptor
    {
        public static readonly KeptStatements Instance = new();

        /// <summary>
        /// Distinct statements kept per lane, kept for the lane's life in the order they first run: the record read's
        /// steps, the person candidates, the graph step and the pages of lists and searches (a list of ids is one
        /// parameter, so its length makes no new statement).
        /// </summary>
        private const int Capacity = 32;

        /// <summary>The longest write command kept (a batch of a few records with their entities and audit entries).</summary>
        private const int MaxKeptWriteText = 64 * 1024;

        private static readonly ConditionalWeakTable<DbConnection, Statements> Lanes = new();

        /// <summary>
        /// Keeps the statements run on <paramref name="connection"/> (a lane's, in its read transaction); with
        /// <paramref name="auditWriter"/> the audit group commit's connection, whose write commands are kept only up to
        /// <see cref="MaxKeptWriteText"/>.
        /// </summary>
        public static void Track(DbConnection connection, bool auditWriter = false) => Lanes.AddOrUpdate(connection, new Statements(auditWriter));

        public static void Forget(DbConnection connection) => Lanes.Remove(connection);

        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result) =>
            result is SqliteCommand { Connection: { } connection } fresh && Lanes.TryGetValue(connection, out var statements)
                ? statements.Take(fresh)
                : result;

        public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
        {
            ArgumentNullException.ThrowIfNull(eventData);
            if (command.Connection is not { } connection || !Lanes.TryGetValue(connection, out var statements) || !statements.Release(command))
            {
                return result;
            }

            // EF Core would dispose the command (finalizing its statements): only the reader goes, which resets them.
            eventData.DataReader.Dispose();
            return InterceptionResult.Suppress();
        }

        public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Drop(command);

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Drop(command);
            return Task.CompletedTask;
        }

        public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Drop(command);

        public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Drop(command);
            return Task.CompletedTask;
        }

        /// <summary>A kept command that failed is left to EF Core (which disposes it) and prepared anew next time.</summary>
        private static void Drop(DbCommand command)
        {
            if (command.Connection is { } connection && Lanes.TryGetValue(connection, out var statements))
            {
                statements.Drop(command);
            }
        }

        /// <summary>One lane's kept commands; a lane serves one read (or one audit batch) at a time, so no lock.</summary>
        private sealed class Statements(bool auditWriter)
        {
            public bool AuditWriter { get; } = auditWriter;

            private readonly Dictionary<string, SqliteCommand> _byText = new(StringComparer.Ordinal);
            private readonly HashSet<DbCommand> _running = [];

            public DbCommand Take(SqliteCommand fresh)
            {
                var text = fresh.CommandText;
                if (!_byText.TryGetValue(text, out var kept))
                {
                    // A large audit batch is one command of many inserts, each a prepared statement: not worth keeping.
                    if (_byText.Count >= Capacity || (AuditWriter && text.Length > MaxKeptWriteText))
                    {
                        return fresh;
                    }

                    kept = fresh.Connection!.CreateCommand();
                    kept.CommandText = text;
                    _byText.Add(text, kept);
                }

                if (!_running.Add(kept))
                {
                    return fresh; // the same SQL is still reading on this lane
                }

                kept.CommandTimeout = fresh.CommandTimeout;
                kept.Transaction = fresh.Transaction; // the lane's read transaction or the audit writer's
                kept.Parameters.Clear();
                foreach (SqliteParameter parameter in fresh.Parameters)
                {
                    kept.Parameters.Add(parameter);
                }

                fresh.Parameters.Clear();
                fresh.Dispose();
                return kept;
            }

            public bool Release(DbCommand command)
            {
                if (!_running.Remove(command))
                {
                    return false;
                }

                command.Parameters.Clear();
                command.Transaction = null;
                return true;
            }

            public void Drop(DbCommand command)
            {
                if (_running.Remove(command))
                {
                    _byText.Remove(command.CommandText);
                }
            }
        }
    }
}
