namespace Jisr.Server.Federation;

/// <summary>Receiving a peer's new key.</summary>
public sealed partial class FederationReceiver
{
    /// <summary>
    /// A peer announces its new key under its old one (the envelope was checked against the old pin): the new key must
    /// prove itself (<see cref="KeyRotationMessage.WhyRefused"/>); it is pinned in place of the old one, and what this
    /// node still has to send to that peer is signed again for the new key.
    /// </summary>
    private async Task<List<AuditEvent>> ReceiveKeyRotationAsync(FederationEnvelope envelope, string sender, CancellationToken cancellationToken)
    {
        var rotation = FederationJson.Read<KeyRotationMessage>(envelope.Payload);
        if (rotation.WhyRefused(envelope.Sender) is { } why)
        {
            throw new PeerRefusal(why);
        }

        var peer = (await store.FindPeerByFingerprintAsync(envelope.Sender, cancellationToken))!;
        await store.ReplacePeerKeyAsync(peer, rotation.NewFingerprint, Convert.FromBase64String(rotation.NewPublicKey), cancellationToken);
        var key = identity.Require().Key;
        await store.ReaddressPendingAsync(
            peer.Id,
            json =>
            {
                var old = FederationJson.Read<FederationEnvelope>(json);
                var again = FederationEnvelope.Create(key, old.Id, old.Type, rotation.NewFingerprint, old.Sequence, old.Created, old.Expires - old.Created, old.Payload);
                return FederationJson.Write(again);
            },
            cancellationToken);
        return
        [
            new AuditEvent(AuditActions.PeerKeyRotate, ActorName: sender, TargetType: AuditTargets.Peer, TargetId: rotation.NewFingerprint,
                Detail: $"old={rotation.OldFingerprint} new={rotation.NewFingerprint}: only the new key is accepted from now on; url={peer.Url}"),
        ];
    }
}
