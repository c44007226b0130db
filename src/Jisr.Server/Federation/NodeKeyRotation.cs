namespace Jisr.Server.Federation;

/// <summary>
/// Rotates the node's federation key, with the node stopped (<c>jisr node rotate-key</c>): a new key is made beside
/// the current one; every active peer gets, as the next message of its ordered stream, the new key announced under the
/// old one (<see cref="KeyRotationMessage"/>), committed with an audit entry; then the new key takes the old one's
/// place (the old file is kept, renamed). When the node starts again it signs, and serves TLS, with the new key; each
/// peer applies the announcement after every message signed before it and then accepts only the new key.
/// </summary>
public static class NodeKeyRotation
{
    public sealed record Rotated(string OldFingerprint, string NewFingerprint, int Peers);

    public static async Task<Rotated> RotateAsync(FederationStore store, NodeKey current, string passphrase, TimeProvider time, AuditEvent by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(by);
        using var next = NodeKey.CreateNext(current.Path, passphrase);
        var peers = await store.ActivePeersAsync(cancellationToken);
        var events = new List<AuditEvent>();
        foreach (var peer in peers)
        {
            events.Add(store.Stage(peer, FederationMessageTypes.KeyRotate, by, (sequence, now) =>
            {
                var payload = FederationJson.Write(KeyRotationMessage.Create(current.Fingerprint, next.Key, now));
                var envelope = FederationEnvelope.Create(current.Key, Guid.CreateVersion7(now), FederationMessageTypes.KeyRotate, peer.Fingerprint, sequence, now, EnvelopeCheck.Lifetime, payload);
                return new SealedMessage(envelope.Id, FederationJson.Write(envelope), envelope.PayloadDigest);
            }));
        }

        events.Add(by with
        {
            Action = AuditActions.NodeKeyRotate,
            TargetType = AuditTargets.Peer,
            TargetId = next.Fingerprint,
            Detail = $"old={current.Fingerprint} new={next.Fingerprint} announced to {peers.Count} peers; messages signed before stay under the old key",
        });
        await store.SaveAsync(events, cancellationToken);
        NodeKey.Promote(current, next);
        return new Rotated(current.Fingerprint, next.Fingerprint, peers.Count);
    }
}
