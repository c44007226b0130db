namespace Jisr.Storage.Federation;

/// <summary>
/// What <see cref="FederationStore.Stage"/> keeps on a staged message until its save: how to seal it for another
/// sequence and how to word its audit detail. Not mapped by EF Core (internal).
/// </summary>
internal sealed record StagedSeal(Func<long, DateTimeOffset, SealedMessage> Seal, Func<long, SealedMessage, string> Detail);

/// <summary>
/// Gives staged outbox messages their final sequence numbers at save time. Two transactions may stage to the same peer
/// from the same loaded <see cref="FederationPeer.LastSequenceOut"/>; the audited save runs them one at a time (the
/// chain lock and the database's write lock), so reading the peer's committed counter there and numbering (and
/// re-sealing) the staged messages after it lets both commit, with consecutive sequences, instead of one failing
/// on the unique (peer, sequence) index.
/// </summary>
internal static class OutboxSequencing
{
    /// <summary>
    /// Renumbers this context's added outbox messages after each peer's committed counter (re-sealing those whose
    /// number moved) and returns <paramref name="events"/> with their audit events rewritten to match. Must run
    /// inside the chain's transaction, after its lock is taken.
    /// </summary>
    public static async Task<IReadOnlyList<AuditEvent>> AssignAsync(JisrDbContext db, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        var staged = db.ChangeTracker.Entries<OutboxMessage>()
            .Where(e => e.State == EntityState.Added && e.Entity.Staged is not null)
            .Select(e => e.Entity).ToList();
        if (staged.Count == 0)
        {
            return events;
        }

        var rewritten = events.ToList();
        foreach (var messages in staged.GroupBy(m => m.PeerId))
        {
            var peerId = messages.Key;
            var peer = db.ChangeTracker.Entries<FederationPeer>().SingleOrDefault(e => e.Entity.Id == peerId)
                ?? throw new InvalidOperationException("a message is staged to a peer this context does not track");
            var committed = await db.Set<FederationPeer>().AsNoTracking().Where(p => p.Id == peerId)
                .Select(p => p.LastSequenceOut).SingleAsync(cancellationToken);
            var sequence = committed;
            foreach (var message in messages.OrderBy(m => m.Sequence))
            {
                sequence++;
                if (message.Sequence != sequence)
                {
                    Reseal(db, message, sequence, rewritten);
                }
            }

            // The counter (a concurrency token) now moves on from what is committed, not from what was loaded.
            var counter = peer.Property(p => p.LastSequenceOut);
            counter.OriginalValue = committed;
            counter.CurrentValue = sequence;
        }

        return rewritten;
    }

    /// <summary>Signs the message again for <paramref name="sequence"/> (a new envelope, so a new id) and re-points its audit event.</summary>
    private static void Reseal(JisrDbContext db, OutboxMessage message, long sequence, List<AuditEvent> events)
    {
        var staged = message.Staged!;
        var sealedMessage = staged.Seal(sequence, message.CreatedAt);
        var oldId = message.Id.ToString("D");
        var index = events.FindIndex(e => e.Action == AuditActions.FederationSend && e.TargetId == oldId);
        if (index < 0)
        {
            throw new InvalidOperationException($"the save does not carry the audit event of staged message {oldId}");
        }

        // The id is the key: the old row leaves the context and the re-sealed one takes its place.
        db.Entry(message).State = EntityState.Detached;
        db.Add(new OutboxMessage
        {
            Id = sealedMessage.Id,
            PeerId = message.PeerId,
            Sequence = sequence,
            Type = message.Type,
            Envelope = sealedMessage.Envelope,
            PayloadDigest = sealedMessage.PayloadDigest,
            CreatedAt = message.CreatedAt,
            NextAttemptAt = message.NextAttemptAt,
            Staged = staged,
        });
        events[index] = events[index] with { TargetId = sealedMessage.Id.ToString("D"), Detail = staged.Detail(sequence, sealedMessage) };
    }
}
