using System.Text;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary><c>jisr stix import</c> killed with SIGKILL in the middle of a bundle leaves nothing of it (no half import); run again, it imports the whole bundle.</summary>
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
        await File.WriteAllTextAsync(file, Bundle());
        string[] import = ["stix", "import", "--db", db, "--agency", "ES-PART", file];
        long auditBefore;
        await using (var context = database.Open())
        {
            auditBefore = await context.AuditLog.CountAsync();
        }

        using var process = Jisr.Start(import);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!process.HasExited && DateTime.UtcNow < deadline && !await WritingAsync(database))
        {
            await Task.Delay(20);
        }

        await Task.Delay(100); // a few more batches into the open transaction
        Assert.False(process.HasExited, process.HasExited
            ? $"the import ended (exit code {process.ExitCode}) before it could be killed: {await process.StandardError.ReadToEndAsync()}"
            : "");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        await using (var context = database.Open())
        {
            Assert.Equal(0, await context.StixObjects.CountAsync());
            Assert.Equal(0, await context.Records.CountAsync());
            Assert.Equal(0, await context.Entities.CountAsync());
            Assert.Equal(auditBefore, await context.AuditLog.CountAsync());
        }

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

    /// <summary>Whether the import has written into its open transaction: SQLite's write-ahead log grows; PostgreSQL shows a backend holding a transaction id.</summary>
    private static async Task<bool> WritingAsync(TestDatabase database)
    {
        if (database.Location.Provider == Storage.DatabaseProvider.Sqlite)
        {
            var wal = new FileInfo(database.Location.Target + "-wal");
            return wal.Exists && wal.Length > 128 * 1024;
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
