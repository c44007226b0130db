using System.Diagnostics;
using System.Text;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>
/// <c>jisr stix import</c> killed with SIGKILL in the middle of a bundle leaves nothing of it (no half import); run
/// again, it imports the whole bundle. The bundle reaches the import through a named pipe that stops three quarters of
/// the way: the import has read (and written in batches into its open transaction) most of it and cannot have committed
/// when it is killed, whatever the machine's speed.
/// </summary>
public sealed class StixImportCrashTests
{
    private const int Objects = 20_000;

    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Import_KilledMidBundle_LeavesNothing_AndTheSameCommandThenImportsItAll(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.Location.Provider == Storage.DatabaseProvider.Sqlite ? $"sqlite:{database.Location.Target}" : $"postgres:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "ES-PART", "--name", "Partner", "--country", "ES")).ExitCode);
        var file = Path.Combine(Directory.CreateTempSubdirectory("jisr-stix-").FullName, "big.json");
        var bundle = Encoding.UTF8.GetBytes(Bundle());
        string[] import = ["stix", "import", "--db", db, "--agency", "ES-PART", file];
        long auditBefore;
        await using (var context = database.Open())
        {
            auditBefore = await context.AuditLog.CountAsync();
        }

        MakeFifo(file);
        using var process = Jisr.Start(import);
        await using (var pipe = await OpenForWritingAsync(file, process))
        {
            // Returns once the import has taken all but the pipe's buffer: it has read (and saved) most of the bundle.
            await pipe.WriteAsync(bundle.AsMemory(0, bundle.Length * 3 / 4));
            await pipe.FlushAsync();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!process.HasExited && DateTime.UtcNow < deadline && !await WritingAsync(database))
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, process.HasExited
                ? $"the import ended (exit code {process.ExitCode}) before it could be killed: {await process.StandardError.ReadToEndAsync()}"
                : "");
            process.Kill(entireProcessTree: true); // before the pipe closes: the import sees no end of input, only its death
            await process.WaitForExitAsync();
        }

        await using (var context = database.Open())
        {
            Assert.Equal(0, await context.StixObjects.CountAsync());
            Assert.Equal(0, await context.Records.CountAsync());
            Assert.Equal(0, await context.Entities.CountAsync());
            Assert.Equal(auditBefore, await context.AuditLog.CountAsync());
        }

        File.Delete(file);
        await File.WriteAllBytesAsync(file, bundle);
        var again = await Jisr.RunAsync(import);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.StartsWith($"OK imported {Objects} objects", again.Output, StringComparison.Ordinal);
        await using (var context = database.Open())
        {
            Assert.Equal(Objects, await context.StixObjects.CountAsync(o => o.Type == "indicator"));
            Assert.Equal(Objects, await context.Entities.CountAsync());
            var chain = await AuditVerifier.VerifyAsync(context);
            Assert.True(chain.IsIntact, chain.Reason);
        }
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]) ?? throw new InvalidOperationException("could not run mkfifo");
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>Opens the pipe's writing end, which blocks until the import opens its reading end (or fails if the import dies first).</summary>
    private static async Task<FileStream> OpenForWritingAsync(string path, Process process)
    {
        var open = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0));
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!open.IsCompleted && !process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(open.IsCompleted, process.HasExited
            ? $"the import ended (exit code {process.ExitCode}) before it opened the bundle: {await process.StandardError.ReadToEndAsync()}"
            : "the import did not open the bundle within 3 minutes");
        return await open;
    }

    /// <summary>
    /// Whether the import holds its transaction open: on PostgreSQL a backend holds a transaction id (assigned at its
    /// first write); on SQLite the write lock is taken (a second writer is refused after its one-second wait).
    /// </summary>
    private static async Task<bool> WritingAsync(TestDatabase database)
    {
        if (database.Location.Provider == Storage.DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection($"Data Source={database.Location.Target};Pooling=False;Default Timeout=1");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            try
            {
                await command.ExecuteNonQueryAsync();
                return false;
            }
            catch (SqliteException busy) when (busy.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
            {
                return true;
            }
        }

        await using var context = database.Open();
        return await context.Database
            .SqlQueryRaw<long>("select count(*) as \"Value\" from pg_stat_activity where datname = current_database() and backend_xid is not null and pid <> pg_backend_pid()")
            .SingleAsync() > 0;
    }

    private static string Bundle()
    {
        var json = new StringBuilder(Objects * 400);
        json.Append("{\"type\":\"bundle\",\"id\":\"bundle--").Append(Guid.NewGuid().ToString("D")).Append("\",\"objects\":[");
        for (var i = 0; i < Objects; i++)
        {
            json.Append(i == 0 ? "" : ",")
                .Append("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--").Append(Guid.NewGuid().ToString("D"))
                .Append("\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\",\"name\":\"sender ").Append(i)
                .Append("\",\"pattern\":\"[email-addr:value = 'sender").Append(i).Append("@example.com']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-01-01T00:00:00Z\"}");
        }

        return json.Append("]}").ToString();
    }
}
