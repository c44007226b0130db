namespace Jisr.Storage.Federation;

/// <summary>Key rotation: this node announcing its new key, and a peer's new key replacing the one pinned for it.</summary>
public sealed partial class FederationStore
{
    /// <summary>The active peers, tracked (a rotation stages a message to each).</summary>
    public Task<List<FederationPeer>> ActivePeersAsync(CancellationToken cancellationToken) =>
        db.Set<FederationPeer>().Where(p => p.Status == PeerStatuses.Active).OrderBy(p => p.AddedAt).ToListAsync(cancellationToken);

    /// <summary>Commits what is staged on this context with <paramref name="events"/>.</summary>
    public Task SaveAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) => audit.SaveWithAuditAsync(db, events, cancellationToken);

    /// <summary>
    /// Pins <paramref name="publicKey"/> for <paramref name="peer"/> (tracked) in place of its old key (unsaved): from
    /// then on only messages under the new key are taken from it, and its channel is pinned to the new key.
    /// </summary>
    public async Task ReplacePeerKeyAsync(FederationPeer peer, string fingerprint, byte[] publicKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Guard.That(fingerprint != identity.Require().Fingerprint, "newFingerprint", ValidationCodes.OwnNode, "the peer announces this node's own key");
        if (await db.Set<FederationPeer>().AnyAsync(p => p.Fingerprint == fingerprint && p.Id != peer.Id, cancellationToken))
        {
            throw new DomainStateException($"the new key {ShortId(fingerprint)} is pinned for another peer already");
        }

        peer.Fingerprint = fingerprint;
        peer.PublicKey = publicKey;
    }

    /// <summary>
    /// Re-addresses the messages still waiting for <paramref name="peerId"/> (unsaved): they were signed for its old
    /// key and would be refused as addressed to another node; <paramref name="reseal"/> signs each again for the new one.
    /// </summary>
    public async Task ReaddressPendingAsync(Guid peerId, Func<string, string> reseal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reseal);
        foreach (var message in await db.Set<OutboxMessage>().Where(m => m.PeerId == peerId && m.Status == DeliveryStatuses.Pending).ToListAsync(cancellationToken))
        {
            message.Envelope = reseal(message.Envelope);
        }
    }
}
