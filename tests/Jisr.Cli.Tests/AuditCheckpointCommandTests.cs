using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary><c>jisr audit verify</c> with signed checkpoints, and <c>jisr audit checkpoint --out</c>.</summary>
public sealed class AuditCheckpointCommandTests
{
    [Fact]
    public async Task AuditVerify_WhenAnEntryAndItsSuccessorsAreRewrittenWithARecomputedChain_NamesThatEntry()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = await ThreeEntriesAsync(database);

        await RewriteAsync(database, from: 2);
        var result = await Jisr.RunAsync("audit", "verify", "--db", db);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.OutputLines);
        Assert.StartsWith("BROKEN at entry 2: the entry does not match the stored checkpoint signed for it", result.OutputLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_WithAnotherKey_RefusesTheCheckpointsAsForged()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = await ThreeEntriesAsync(database);
        var otherKey = Path.Combine(Path.GetDirectoryName(database.Location.Target)!, "other.audit-key");
        AuditSigningKey.LoadOrCreate(otherKey).Dispose();

        var result = await Jisr.RunAsync("audit", "verify", "--db", db, "--audit-key", otherKey);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("BROKEN at entry 1: the stored checkpoint at entry 1 is signed by an unknown key", result.OutputLines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditCheckpoint_ExportedToAFile_CatchesAChainRewrittenWithItsCheckpointTable()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = await ThreeEntriesAsync(database);
        var exported = Path.Combine(Path.GetDirectoryName(database.Location.Target)!, "kept-elsewhere.json");

        var written = await Jisr.RunAsync("audit", "checkpoint", "--db", db, "--out", exported);

        Assert.Equal(0, written.ExitCode);
        Assert.Matches(@"^OK checkpoint at entry 3 \(key [0-9a-f]{16}\) in ", written.OutputLines.Single());
        Assert.Equal(0, (await Jisr.RunAsync("audit", "verify", "--db", db, "--checkpoints", exported)).ExitCode);

        // Someone with the database but not the key: rewrite from entry 2 and drop the checkpoints that would tell.
        await RewriteAsync(database, from: 2);
        await using (var context = database.Open())
        {
            await context.AuditCheckpoints.Where(c => c.Sequence >= 2).ExecuteDeleteAsync();
        }

        Assert.Equal(0, (await Jisr.RunAsync("audit", "verify", "--db", db)).ExitCode); // the database alone cannot tell
        var result = await Jisr.RunAsync("audit", "verify", "--db", db, "--checkpoints", exported);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("BROKEN at entry 2: entries 2 to 3 do not match the exported checkpoint signed at entry 3", result.OutputLines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditCheckpoint_OnAnEmptyLog_FailsWithOneClearLine()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");

        var result = await Jisr.RunAsync("audit", "checkpoint", "--db", $"sqlite:{database.Location.Target}", "--out", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("jisr: the audit log is empty: there is nothing to sign yet", result.Error.Trim());
    }

    [Fact]
    public async Task AuditVerify_WithCheckpointsButNoKey_FailsWithOneClearLine()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var db = await ThreeEntriesAsync(database);
        File.Delete(database.Location.Target + AuditSigningKey.FileSuffix);

        var result = await Jisr.RunAsync("audit", "verify", "--db", db);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("jisr: no audit key at ", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Three CLI commands, three entries; each command signs a checkpoint as it ends.</summary>
    private static async Task<string> ThreeEntriesAsync(TestDatabase database)
    {
        var db = $"sqlite:{database.Location.Target}";
        Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-POL", "--name", "Police", "--country", "MA")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--agency", "MA-POL", "--user", "amina", "--role", "analyst")).ExitCode);
        Assert.Equal(0, (await Jisr.RunAsync("token", "create", "--db", db, "--user", "amina")).ExitCode);
        return db;
    }

    private static async Task RewriteAsync(TestDatabase database, long from)
    {
        await using var context = database.Open();
        var entries = await context.AuditLog.Where(e => e.Sequence >= from).OrderBy(e => e.Sequence).ToListAsync();
        var previous = entries[0].PreviousHash;
        entries[0].ActorName = "someone-else";
        foreach (var entry in entries)
        {
            entry.PreviousHash = previous;
            entry.Hash = AuditHasher.ComputeHash(entry, previous);
            previous = entry.Hash;
        }

        await context.SaveChangesAsync();
    }
}
