using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Storage;

/// <summary>Builds contexts for a <see cref="DatabaseLocation"/> and brings its schema up to date.</summary>
public static class JisrDatabase
{
    /// <summary>How much of the database file each SQLite connection maps (SQLite caps it at its build's limit, 2 GiB by default).</summary>
    public const long SqliteMemoryMapBytes = 1L << 31;

    /// <summary>Sets how much of the file an open SQLite connection reads through a memory map (0: with read calls).</summary>
    public static void MapSqliteFile(SqliteConnection connection, long bytes)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA mmap_size={bytes};";
        pragma.ExecuteNonQuery();
    }

    /// <summary>Registers <see cref="JisrDbContext"/> (pooled) for the location's provider.</summary>
    public static IServiceCollection AddJisrDatabase(this IServiceCollection services, DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Provider switch
        {
            DatabaseProvider.Sqlite => services.AddDbContextPool<JisrDbContext, SqliteJisrDbContext>(o => ConfigureSqlite(o, location.Target)),
            DatabaseProvider.Postgres => services.AddDbContextPool<JisrDbContext, PostgresJisrDbContext>(o => ConfigurePostgres(o, location.Target)),
            _ => throw new ArgumentOutOfRangeException(nameof(location)),
        };
    }

    /// <summary>A standalone context (CLI commands, tests, benchmarks); dispose it after use.</summary>
    public static JisrDbContext Open(DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        switch (location.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqliteJisrDbContext>();
                ConfigureSqlite(sqlite, location.Target);
                return new SqliteJisrDbContext(sqlite.Options);
            case DatabaseProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresJisrDbContext>();
                ConfigurePostgres(postgres, location.Target);
                return new PostgresJisrDbContext(postgres.Options);
            default:
                throw new ArgumentOutOfRangeException(nameof(location));
        }
    }

    /// <summary>A pooled source of standalone contexts, for background work such as the audit log's writer.</summary>
    public static Func<JisrDbContext> PooledFactory(DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        switch (location.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqliteJisrDbContext>();
                ConfigureSqlite(sqlite, location.Target);
                var sqlitePool = new PooledDbContextFactory<SqliteJisrDbContext>(sqlite.Options);
                return sqlitePool.CreateDbContext;
            case DatabaseProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresJisrDbContext>();
                ConfigurePostgres(postgres, location.Target);
                var postgresPool = new PooledDbContextFactory<PostgresJisrDbContext>(postgres.Options);
                return postgresPool.CreateDbContext;
            default:
                throw new ArgumentOutOfRangeException(nameof(location));
        }
    }

    /// <summary>
    /// Applies pending migrations (creating the database if needed). Safe to run on every start: every <c>jisr</c>
    /// command does. A database that already has every migration this build knows is left as it is without EF Core's
    /// migrator (its lock, its model checks: about 0.65 of the 1.6 CPU-seconds an <c>agency add</c> took); one that
    /// lacks any goes through the migrator, under its lock, so concurrent starts still migrate once.
    /// </summary>
    public static async Task MigrateAsync(DatabaseLocation location, CancellationToken cancellationToken = default)
    {
        if (location.Provider == DatabaseProvider.Sqlite)
        {
            // Before the connection opens, also for the check below: SQLite creates the file, not its folder.
            var directory = Path.GetDirectoryName(Path.GetFullPath(location.Target));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
        }

        await using var db = Open(location);
        if (await HasEveryMigrationAsync(db, cancellationToken))
        {
            return;
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (location.Provider == DatabaseProvider.Sqlite)
        {
            // WAL is a property of the file: readers never block the writer, and a killed process loses no committed transaction.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// Whether the migrations history table lists every migration this build knows. Read with one plain statement:
    /// EF Core's <c>GetAppliedMigrationsAsync</c> builds the history table's own model and compiles a LINQ query for it,
    /// which cost more than the rest of a short command's database work.
    /// </summary>
    private static async Task<bool> HasEveryMigrationAsync(JisrDbContext db, CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToList();
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """SELECT "MigrationId" FROM "__EFMigrationsHistory";""";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (DbException)
        {
            return false; // no history table: a new database, which the migrator creates
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return known.Count > 0 && known.All(applied.Contains);
    }

    internal static void ConfigureSqlite(DbContextOptionsBuilder options, string path)
    {
        SqliteProcessSettings.EnsureApplied();
        // One statement per query (split queries were measured slower under load: more SQLite prepares). A list of
        // values travels as one JSON parameter (read with json_each), so a query's SQL is the same whatever the list's
        // length: with one parameter per value, EF Core built the person match's candidate read anew for each request.
        options.UseSqlite(SqliteConnectionString(path), o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(SqlitePragmas.Instance, Records.SqliteReadLanes.KeptStatements.Instance).AddInterceptors(DataChanges.Interceptors)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    internal static string SqliteConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    internal static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(WithPostgresDefaults(connectionString), o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(DataChanges.Interceptors)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <summary>
    /// The node's PostgreSQL connection settings where the operator's connection string does not set them (docs/postgresql.md):
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare</c> 64 (Npgsql prepares a statement on the server once it has run twice on a connection,
    /// so the hot queries are parsed and planned once per pooled connection instead of on every request);</item>
    /// <item><c>No Reset On Close</c> (a pooled connection is not reset with a round of RESET/DISCARD statements on
    /// every return to the pool, which would also drop its prepared statements). Safe because the node keeps no session
    /// state: its only lock, the audit chain's, is transaction-scoped.</item>
    /// </list>
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        // Npgsql's own builder reports every keyword it knows as present: what the operator wrote is read with the plain one.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Per-connection SQLite settings (they do not persist in the file). Connections are pooled, so the settings
    /// are applied once per underlying SQLite handle, not on every open.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        private static readonly ConditionalWeakTable<object, object> Configured = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            var handle = ((SqliteConnection)connection).Handle;
            if (handle is null || Configured.TryGetValue(handle, out _))
            {
                return;
            }

            using var command = connection.CreateCommand();

            // synchronous=NORMAL in WAL mode: a commit survives a killed process; only an OS crash may lose the last commits.
            // mmap_size: the database file read through a memory map shared by every connection, not copied page by
            // page into each connection's small cache with a system call per page (index seeks scattered over a large
            // file, as a graph's rings are, spent as much CPU in the kernel as in SQLite). Writes and the WAL are unchanged.
            command.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA mmap_size={SqliteMemoryMapBytes};";
            command.ExecuteNonQuery();
            Configured.AddOrUpdate(handle, handle);
        }
    }
}
