namespace Jisr.Storage.Audit;

/// <summary>Outcome of walking the chain: how many entries were checked, the first broken one if any, and the checkpoints checked.</summary>
public sealed record AuditVerification(long EntriesChecked, long? BrokenAt, string? Reason, int CheckpointsChecked = 0, long? LastCheckpoint = null)
{
    public bool IsIntact => BrokenAt is null;
}

/// <summary>
/// What verification trusts beyond the database: the public keys whose signatures count (the node's key file, an
/// exported file's key) and checkpoints kept outside the database (<see cref="AuditCheckpointFile"/>).
/// </summary>
public sealed record AuditTrust(IReadOnlyList<AuditPublicKey> Keys, IReadOnlyList<AuditCheckpoint> Exported);

/// <summary>
/// Walks the audit chain from the first entry, recomputing every hash. Detects a changed field, a changed
/// hash, a removed or inserted entry and reordering. With an <see cref="AuditTrust"/> it also checks every stored and
/// exported checkpoint: its signature by a trusted key, and that the entry at its sequence has its hash, so a chain
/// rewritten and recomputed by someone without the key breaks at the first checkpoint after the rewrite. (Cutting
/// entries off after the last checkpoint, or rewriting entries not signed yet, is seen only against a later export.)
/// </summary>
public static class AuditVerifier
{
    /// <summary>The plain hash chain only; stored checkpoints are not read.</summary>
    public static Task<AuditVerification> VerifyAsync(JisrDbContext db, CancellationToken cancellationToken = default) =>
        VerifyAsync(db, null, cancellationToken);

    public static async Task<AuditVerification> VerifyAsync(JisrDbContext db, AuditTrust? trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var checkpoints = trust is null ? [] : await CheckpointsAsync(db, trust, cancellationToken);
        var keys = trust?.Keys.ToDictionary(k => k.KeyId) ?? [];
        var checkpointsChecked = 0;
        long lastSigned = 0;
        var previous = AuditHasher.GenesisHash;
        long expected = 1;
        await foreach (var entry in db.AuditLog.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expected)
            {
                return new AuditVerification(expected - 1, expected, entry.Sequence > expected
                    ? $"entries {expected} to {entry.Sequence - 1} are missing"
                    : $"unexpected sequence number {entry.Sequence}");
            }

            if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return new AuditVerification(expected - 1, expected, "previous-hash does not match the hash of the entry before it");
            }

            var hash = AuditHasher.ComputeHash(entry, previous);
            if (!hash.AsSpan().SequenceEqual(entry.Hash))
            {
                return new AuditVerification(expected - 1, expected, "content does not match its hash (the entry was changed)");
            }

            if (checkpoints.TryGetValue(entry.Sequence, out var signed))
            {
                foreach (var (checkpoint, source) in signed)
                {
                    if (!keys.TryGetValue(checkpoint.KeyId, out var key))
                    {
                        return new AuditVerification(expected - 1, expected, $"the {source} checkpoint at entry {expected} is signed by an unknown key {checkpoint.KeyId} (forged)");
                    }

                    if (!key.Signed(checkpoint))
                    {
                        return new AuditVerification(expected - 1, expected, $"the {source} checkpoint at entry {expected} has a signature that does not verify (forged or altered)");
                    }

                    if (!checkpoint.EntryHash.AsSpan().SequenceEqual(entry.Hash))
                    {
                        // The chain itself is consistent, so an entry since the last good checkpoint was rewritten and the chain recomputed.
                        var from = lastSigned + 1;
                        return new AuditVerification(from - 1, from, from == expected
                            ? $"the entry does not match the {source} checkpoint signed for it (it was rewritten and the chain recomputed)"
                            : $"entries {from} to {expected} do not match the {source} checkpoint signed at entry {expected} (one of them was rewritten and the chain recomputed)");
                    }

                    checkpointsChecked++;
                }

                lastSigned = expected;
            }

            previous = entry.Hash;
            expected++;
        }

        var end = expected - 1;
        var beyond = checkpoints.Keys.Where(s => s > end).Order().FirstOrDefault();
        if (beyond > 0)
        {
            return new AuditVerification(end, end + 1, $"the log ends at entry {end} but a checkpoint was signed at entry {beyond} (entries were removed)");
        }

        return new AuditVerification(end, null, null, checkpointsChecked, lastSigned == 0 ? null : lastSigned);
    }

    private static async Task<Dictionary<long, List<(AuditCheckpoint Checkpoint, string Source)>>> CheckpointsAsync(JisrDbContext db, AuditTrust trust, CancellationToken cancellationToken)
    {
        var stored = await db.AuditCheckpoints.AsNoTracking().ToListAsync(cancellationToken);
        return stored.Select(c => (Checkpoint: c, Source: "stored"))
            .Concat(trust.Exported.Select(c => (Checkpoint: c, Source: "exported")))
            .GroupBy(c => c.Checkpoint.Sequence)
            .ToDictionary(g => g.Key, g => g.ToList());
    }
}
