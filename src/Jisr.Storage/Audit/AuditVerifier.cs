using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Audit;

/// <summary>Outcome of walking the chain: how many entries were checked, and the first broken one if any.</summary>
public sealed record AuditVerification(long EntriesChecked, long? BrokenAt, string? Reason)
{
    public bool IsIntact => BrokenAt is null;
}

/// <summary>
/// Walks the audit chain from the first entry, recomputing every hash. Detects a changed field, a changed
/// hash, a removed or inserted entry and reordering. (Cutting entries off the end leaves a shorter valid
/// chain: compare the count with one recorded elsewhere to detect that.)
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(JisrDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
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

            previous = entry.Hash;
            expected++;
        }

        return new AuditVerification(expected - 1, null, null);
    }
}
