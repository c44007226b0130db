using System.Security.Cryptography;
using Jisr.Storage.Audit;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Tests;

/// <summary>
/// Signed checkpoints make the chain keyed: whoever can write the database but lacks the node's key file cannot rewrite
/// entries and recompute the plain chain unnoticed.
/// </summary>
public sealed class AuditCheckpointTests : IDisposable
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("jisr-keys-");

    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    public void Dispose() => _keys.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_WhenAnEntryAndItsSuccessorsAreRewrittenWithARecomputedChain_NamesThatEntry(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditSigningKey.LoadOrCreate(KeyPath());
        await AppendAsync(database, key, count: 10, everyEntries: 1);

        await RewriteAsync(database, from: 6);

        await using var db = database.Open();
        Assert.True((await AuditVerifier.VerifyAsync(db)).IsIntact); // the plain chain cannot tell
        var result = await AuditVerifier.VerifyAsync(db, Trust(key));
        Assert.Equal(6, result.BrokenAt);
        Assert.Contains("rewritten", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_WhenARewrittenEntryLiesBetweenCheckpoints_NamesTheEntriesSinceTheLastGoodOne(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditSigningKey.LoadOrCreate(KeyPath());
        await AppendAsync(database, key, count: 12, everyEntries: 4);

        await RewriteAsync(database, from: 6);

        await using var db = database.Open();
        var result = await AuditVerifier.VerifyAsync(db, Trust(key));
        Assert.Equal(5, result.BrokenAt);
        Assert.StartsWith("entries 5 to 8 do not match the stored checkpoint signed at entry 8", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_WhenTheRewriterSignsNewCheckpointsWithAnotherKey_RefusesThem(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditSigningKey.LoadOrCreate(KeyPath());
        using var forger = AuditSigningKey.LoadOrCreate(KeyPath());
        await AppendAsync(database, key, count: 10, everyEntries: 1);
        await RewriteAsync(database, from: 6);

        // Replace every checkpoint from 6 on: signed by the forger's key, once under its own id and once under the node's.
        await using (var db = database.Open())
        {
            await db.AuditCheckpoints.Where(c => c.Sequence >= 6).ExecuteDeleteAsync();
            foreach (var entry in await db.AuditLog.Where(e => e.Sequence >= 6).ToListAsync())
            {
                var forged = forger.Sign(entry.Sequence, entry.Hash, entry.At);
                db.AuditCheckpoints.Add(forged);
            }

            await db.SaveChangesAsync();
        }

        await using (var check = database.Open())
        {
            var unknown = await AuditVerifier.VerifyAsync(check, Trust(key));
            Assert.Equal(6, unknown.BrokenAt);
            Assert.Contains("unknown key", unknown.Reason, StringComparison.Ordinal);
        }

        await using (var db = database.Open())
        {
            await db.AuditCheckpoints.ExecuteUpdateAsync(s => s.SetProperty(c => c.KeyId, key.PublicKey.KeyId));
        }

        await using var again = database.Open();
        var borrowed = await AuditVerifier.VerifyAsync(again, Trust(key));
        Assert.Equal(6, borrowed.BrokenAt);
        Assert.Contains("does not verify", borrowed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_AgainstExportedCheckpoints_CatchesAChainRewrittenWithItsCheckpointsDeleted(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditSigningKey.LoadOrCreate(KeyPath());
        await AppendAsync(database, key, count: 10, everyEntries: 5);
        AuditCheckpoint exported;
        await using (var audit = new AuditLog(database.Open, TimeProvider.System, Policy(AuditSigningKey.LoadOrCreate(key.Path), 5)))
        {
            exported = (await audit.CheckpointAsync())!;
        }

        await RewriteAsync(database, from: 7);
        await using (var db = database.Open())
        {
            await db.AuditCheckpoints.Where(c => c.Sequence > 5).ExecuteDeleteAsync();
        }

        await using var check = database.Open();
        Assert.True((await AuditVerifier.VerifyAsync(check, Trust(key))).IsIntact); // the table alone no longer tells
        var result = await AuditVerifier.VerifyAsync(check, new AuditTrust([key.PublicKey], [exported]));
        Assert.Equal(6, result.BrokenAt);
        Assert.Contains("exported checkpoint signed at entry 10", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_WhenEntriesAfterACheckpointAreCutOff_SaysEntriesWereRemoved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditSigningKey.LoadOrCreate(KeyPath());
        await AppendAsync(database, key, count: 10, everyEntries: 5);
        await using (var db = database.Open())
        {
            await db.AuditLog.Where(e => e.Sequence > 8).ExecuteDeleteAsync();
        }

        await using var check = database.Open();
        var result = await AuditVerifier.VerifyAsync(check, Trust(key));
        Assert.Equal(9, result.BrokenAt);
        Assert.Contains("entries were removed", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Checkpoints_AreSignedEveryNEntries_AndAtShutdown_AndAllVerify(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditSigningKey.LoadOrCreate(KeyPath());

        await AppendAsync(database, key, count: 12, everyEntries: 5);

        await using var db = database.Open();
        Assert.Equal([5L, 10L, 12L], await db.AuditCheckpoints.OrderBy(c => c.Sequence).Select(c => c.Sequence).ToListAsync());
        var result = await AuditVerifier.VerifyAsync(db, Trust(key));
        Assert.True(result.IsIntact, result.Reason);
        Assert.Equal(3, result.CheckpointsChecked);
        Assert.Equal(12, result.LastCheckpoint);
    }

    [Fact]
    public void LoadOrCreate_CreatesAKeyOnlyItsOwnerMayRead_KeepsItAcrossLoads_AndRefusesAKeyOthersMayRead()
    {
        var path = KeyPath();

        using var created = AuditSigningKey.LoadOrCreate(path);
        using var loaded = AuditSigningKey.LoadOrCreate(path);

        Assert.Equal(created.PublicKey.KeyId, loaded.PublicKey.KeyId);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var refused = Assert.Throws<InvalidOperationException>(() => AuditSigningKey.LoadOrCreate(path));
        Assert.Contains("chmod 600", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_WhenAnyPartOfTheCheckpointChanges_IsFalse()
    {
        using var key = AuditSigningKey.LoadOrCreate(KeyPath());
        var hash = RandomNumberGenerator.GetBytes(AuditHasher.HashLength);
        var at = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var signed = key.Sign(42, hash, at);
        Assert.True(key.PublicKey.Signed(signed));

        AuditCheckpoint Copy() => new() { Sequence = signed.Sequence, EntryHash = [.. signed.EntryHash], At = signed.At, KeyId = signed.KeyId, Signature = [.. signed.Signature] };
        var otherSequence = Copy();
        otherSequence.Sequence = 43;
        var otherHash = Copy();
        otherHash.EntryHash[0] ^= 1;
        var otherTime = Copy();
        otherTime.At = at.AddTicks(10);
        Assert.All([otherSequence, otherHash, otherTime], c => Assert.False(key.PublicKey.Signed(c)));
    }

    private static AuditCheckpointPolicy Policy(AuditSigningKey key, int everyEntries) =>
        new(key) { EveryEntries = everyEntries, Interval = TimeSpan.Zero };

    private static AuditTrust Trust(AuditSigningKey key) => new([key.PublicKey], []);

    /// <summary>Appends one entry at a time (one transaction each), then shuts the log down (a last checkpoint).</summary>
    private static async Task AppendAsync(TestDatabase database, AuditSigningKey key, int count, int everyEntries)
    {
        // The log owns (and disposes) its key: give it its own copy.
        await using var audit = new AuditLog(database.Open, TimeProvider.System, Policy(AuditSigningKey.LoadOrCreate(key.Path), everyEntries));
        for (var i = 1; i <= count; i++)
        {
            await audit.AppendAsync(new AuditEvent("record.read", ActorName: "amina", Detail: $"read {i}"));
        }
    }

    /// <summary>What someone with write access to the database but not the key can do: change an entry, recompute every hash after it.</summary>
    private static async Task RewriteAsync(TestDatabase database, long from)
    {
        await using var db = database.Open();
        var entries = await db.AuditLog.Where(e => e.Sequence >= from).OrderBy(e => e.Sequence).ToListAsync();
        var previous = entries[0].PreviousHash;
        entries[0].ActorName = "someone-else";
        foreach (var entry in entries)
        {
            entry.PreviousHash = previous;
            entry.Hash = AuditHasher.ComputeHash(entry, previous);
            previous = entry.Hash;
        }

        await db.SaveChangesAsync();
    }

    private string KeyPath() => Path.Combine(_keys.FullName, $"{Guid.NewGuid():N}{AuditSigningKey.FileSuffix}");
}
