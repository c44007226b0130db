using Jisr.Server.Federation;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// Peers keep each other's signed audit checkpoints: a node that rewrites its audit chain afterwards (and removes its
/// own checkpoints) passes its own plain verification, but not verification against the copy its partner kept.
/// </summary>
public sealed class CheckpointExchangeTests : TwoPeeredNodes
{
    [Fact]
    public async Task APartnersCopyOfTheCheckpoints_CatchesARewrittenAuditChain()
    {
        await Morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]);
        var checkpoint = await Morocco.Node.App.Services.GetRequiredService<AuditLog>().CheckpointAsync();
        Assert.NotNull(checkpoint);

        // MA-DGST sends its latest checkpoint to its peers, once.
        Assert.Equal(1, await SendLatestAsync());
        Assert.Equal(0, await SendLatestAsync());

        // ES-CNP keeps it, checked against the audit key it names.
        var moroccoFingerprint = Morocco.Node.Fingerprint!;
        (string? Pem, List<AuditCheckpoint> Checkpoints) kept = (null, []);
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var scope = Spain.Node.App.Services.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<FederationStore>();
                var peer = await store.FindPeerByFingerprintAsync(moroccoFingerprint, CancellationToken.None);
                kept = await CheckpointExchange.ReceivedFromAsync(store, peer!.Id, CancellationToken.None);
                return kept.Checkpoints.Any(c => c.Sequence == checkpoint.Sequence);
            },
            "ES-CNP keeps MA-DGST's checkpoint");
        await using (var spainDb = Spain.Node.Database.Open())
        {
            Assert.True(await spainDb.AuditLog.AnyAsync(e => e.Action == AuditActions.PeerCheckpoint && e.TargetId == moroccoFingerprint));
        }

        // The export 'jisr peer checkpoints' writes, read back as 'jisr audit verify --checkpoints' reads it.
        var file = Path.Combine(Path.GetTempPath(), $"jisr-peer-checkpoints-{Guid.NewGuid():N}.json");
        using (var key = AuditPublicKey.FromPem(kept.Pem!))
        {
            foreach (var c in kept.Checkpoints)
            {
                AuditCheckpointFile.Append(file, key, c);
            }
        }

        var exported = AuditCheckpointFile.Read(file);
        File.Delete(file);
        var trust = new AuditTrust([exported.PublicKey], exported.Checkpoints);
        await Morocco.Node.StopAsync();
        await using (var db = Morocco.Node.Database.Open())
        {
            Assert.True((await AuditVerifier.VerifyAsync(db, trust)).IsIntact, "MA-DGST's chain agrees with ES-CNP's copy before any rewrite");
        }

        // MA-DGST's chain is rewritten before the checkpoint, recomputed, and its own checkpoints removed.
        await using (var db = Morocco.Node.Database.Open())
        {
            var entries = await db.AuditLog.Where(e => e.Sequence >= 2).OrderBy(e => e.Sequence).ToListAsync();
            var previous = entries[0].PreviousHash;
            entries[0].Detail = "nothing was proposed";
            foreach (var entry in entries)
            {
                entry.PreviousHash = previous;
                entry.Hash = AuditHasher.ComputeHash(entry, previous);
                previous = entry.Hash;
            }

            await db.SaveChangesAsync();
            await db.AuditCheckpoints.ExecuteDeleteAsync();
        }

        await using (var db = Morocco.Node.Database.Open())
        {
            Assert.True((await AuditVerifier.VerifyAsync(db)).IsIntact, "the rewrite passes the plain chain check");
            var against = await AuditVerifier.VerifyAsync(db, trust);
            Assert.False(against.IsIntact, "the partner's copy of the checkpoint catches the rewrite");
            Assert.Contains($"exported checkpoint signed at entry {checkpoint.Sequence}", against.Reason, StringComparison.Ordinal);
        }

        await Morocco.Node.StartAgainAsync();
    }

    private async Task<int> SendLatestAsync()
    {
        await using var scope = Morocco.Node.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CheckpointExchange>().SendLatestAsync(CancellationToken.None);
    }
}
