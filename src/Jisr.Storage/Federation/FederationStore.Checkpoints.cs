namespace Jisr.Storage.Federation;

/// <summary>Signed audit checkpoints exchanged with peers: the latest of this node's, and those a peer sent here.</summary>
public sealed partial class FederationStore
{
    /// <summary>This node's latest signed audit checkpoint, or null.</summary>
    public Task<AuditCheckpoint?> LatestAuditCheckpointAsync(CancellationToken cancellationToken) =>
        db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The signed envelopes of type <paramref name="type"/> sent to (outbox) or received from (inbox) <paramref name="peerId"/>, oldest first.</summary>
    public async Task<List<string>> EnvelopesAsync(Guid peerId, string type, bool received, CancellationToken cancellationToken) =>
        received
            ? await db.Set<InboxMessage>().AsNoTracking().Where(m => m.PeerId == peerId && m.Type == type).OrderBy(m => m.Sequence).Select(m => m.Envelope).ToListAsync(cancellationToken)
            : await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.PeerId == peerId && m.Type == type).OrderBy(m => m.Sequence).Select(m => m.Envelope).ToListAsync(cancellationToken);

    /// <summary>Acknowledgements this node signed for what it took from <paramref name="peerId"/> of <paramref name="type"/>, by message id.</summary>
    public async Task<Dictionary<Guid, string>> AcknowledgementsAsync(Guid peerId, string type, CancellationToken cancellationToken) =>
        await db.Set<InboxMessage>().AsNoTracking().Where(m => m.PeerId == peerId && m.Type == type).ToDictionaryAsync(m => m.Id, m => m.Acknowledgement, cancellationToken);
}
