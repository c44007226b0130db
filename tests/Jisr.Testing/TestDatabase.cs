using Jisr.Storage;
using Npgsql;

namespace Jisr.Testing;

/// <summary>
/// A fresh, empty database for one test: a temporary SQLite file, or a new database in the PostgreSQL cluster
/// that <c>scripts/test</c> starts (connection in <c>JISR_TEST_POSTGRES</c>). PostgreSQL tests never skip:
/// without the cluster they fail and say how to run them.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "JISR_TEST_POSTGRES";

    private readonly Func<Task> _drop;

    private TestDatabase(DatabaseLocation location, Func<Task> drop)
    {
        Location = location;
        _drop = drop;
    }

    public DatabaseLocation Location { get; }

    public DatabaseProvider Provider => Location.Provider;

    /// <summary>Both providers, for <c>[Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]</c>.</summary>
    public static IEnumerable<object[]> Providers => [["sqlite"], ["postgres"]];

    /// <summary>
    /// A new database; <paramref name="migrate"/> gives it the current schema, copied from a template that this
    /// process migrated once per provider: migrating costs about half a second of CPU per database (the migrator
    /// builds every migration's model), and the suite creates hundreds. Leave it false for a test of what the node
    /// or a command does with a database that has no schema yet.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(string provider, bool migrate = true) => provider switch
    {
        "sqlite" => await CreateSqliteAsync(migrate),
        "postgres" => await CreatePostgresAsync(migrate),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
    };

    /// <summary>
    /// A SQLite database kept in <paramref name="path"/> across runs (a bench that seeds once and measures many times):
    /// migrated, never deleted.
    /// </summary>
    public static async Task<TestDatabase> KeptAsync(string path)
    {
        var database = new TestDatabase(new DatabaseLocation(DatabaseProvider.Sqlite, path), () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return Task.CompletedTask;
        });
        await JisrDatabase.MigrateAsync(database.Location);
        return database;
    }

    public JisrDbContext Open() => JisrDatabase.Open(Location);

    public async ValueTask DisposeAsync()
    {
        await _drop();
    }

    private static readonly Template SqliteTemplate = new(MigrateSqliteTemplateAsync);

    private static readonly Template PostgresTemplate = new(MigratePostgresTemplateAsync);

    /// <summary>A migrated SQLite file whose whole content is in the main file (WAL checkpointed), ready to be copied.</summary>
    private static async Task<string> MigrateSqliteTemplateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("jisr-test-template-");
        AtExit(() => directory.Delete(recursive: true));
        var path = Path.Combine(directory.FullName, "jisr.db");
        await JisrDatabase.MigrateAsync(new DatabaseLocation(DatabaseProvider.Sqlite, path));
        var connectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using (var result = await checkpoint.ExecuteReaderAsync())
        {
            // (busy, WAL frames, frames checkpointed): busy would mean part of the schema is still only in the WAL file.
            if (!await result.ReadAsync() || result.GetInt32(0) != 0)
            {
                throw new InvalidOperationException("the migrated SQLite template could not be checkpointed");
            }
        }

        return path;
    }

    /// <summary>A migrated PostgreSQL database that no connection stays open on, so that <c>CREATE DATABASE ... TEMPLATE</c> may copy it.</summary>
    private static async Task<string> MigratePostgresTemplateAsync()
    {
        var (admin, name) = (AdminConnectionString(), "jisr_test_template_" + Guid.NewGuid().ToString("N")[..16]);
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        AtExit(() => ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)").GetAwaiter().GetResult());
        var template = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
        await JisrDatabase.MigrateAsync(new DatabaseLocation(DatabaseProvider.Postgres, template));
        return name;
    }

    /// <summary>Tidies up when the test process ends; an error there (the cluster already stopped) must not fail the run.</summary>
    private static void AtExit(Action tidy) => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try
        {
            tidy();
        }
#pragma warning disable CA1031 // Whatever fails here, the temporary folder or the throw-away cluster is cleaned anyway.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    };

    /// <summary>A template made once per process, made again by the next caller if making it failed (a refused connection must not fail every later test).</summary>
    private sealed class Template(Func<Task<string>> make)
    {
        private readonly Lock _lock = new();
        private Task<string>? _made;

        public Task<string> Value
        {
            get
            {
                lock (_lock)
                {
                    if (_made is null || _made.IsFaulted || _made.IsCanceled)
                    {
                        _made = make();
                    }

                    return _made;
                }
            }
        }
    }

    private static async Task<TestDatabase> CreateSqliteAsync(bool migrate)
    {
        var directory = Directory.CreateTempSubdirectory("jisr-test-");
        var path = Path.Combine(directory.FullName, "jisr.db");
        if (migrate)
        {
            File.Copy(await SqliteTemplate.Value, path);
        }

        return new TestDatabase(new DatabaseLocation(DatabaseProvider.Sqlite, path), () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a background task; the temp directory is cleaned by the OS.
            }

            return Task.CompletedTask;
        });
    }

    private static async Task<TestDatabase> CreatePostgresAsync(bool migrate)
    {
        var admin = AdminConnectionString();
        var name = "jisr_test_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(admin, migrate ? $"CREATE DATABASE {name} TEMPLATE {await PostgresTemplate.Value}" : $"CREATE DATABASE {name}");
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(new DatabaseLocation(DatabaseProvider.Postgres, builder.ConnectionString), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static string AdminConnectionString()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        return string.IsNullOrWhiteSpace(admin)
            ? throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the tests with ./scripts/test, which starts a throw-away PostgreSQL cluster and sets it.")
            : admin;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
