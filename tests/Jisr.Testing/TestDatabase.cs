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

    public static async Task<TestDatabase> CreateAsync(string provider, bool migrate = true)
    {
        var database = provider switch
        {
            "sqlite" => CreateSqlite(),
            "postgres" => await CreatePostgresAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
        };
        if (migrate)
        {
            await JisrDatabase.MigrateAsync(database.Location);
        }

        return database;
    }

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

    private static TestDatabase CreateSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("jisr-test-");
        var path = Path.Combine(directory.FullName, "jisr.db");
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

    private static async Task<TestDatabase> CreatePostgresAsync()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the tests with ./scripts/test, which starts a throw-away PostgreSQL cluster and sets it.");
        }

        var name = "jisr_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(new DatabaseLocation(DatabaseProvider.Postgres, builder.ConnectionString), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
    }
}
