namespace Jisr.Server.Federation;

/// <summary>A peer's <see cref="PeerHello"/>: checked like a message (peer, pinned key, digest, signature, clock), nothing applied.</summary>
public sealed partial class FederationReceiver
{
    /// <summary>204 when the hello is the peer's own; its refusals are audited like a message's (it changes nothing, so an accepted one is not).</summary>
    public async Task<(int StatusCode, string? Problem)> ReceiveHelloAsync(string body, CancellationToken cancellationToken)
    {
        var key = identity.Require();
        FederationEnvelope envelope;
        try
        {
            envelope = ReadEnvelope(body);
            if (envelope.Type != PeerHello.Type)
            {
                throw new FormatException($"a hello is of type {PeerHello.Type}, not {envelope.Type}");
            }
        }
        catch (FormatException ex)
        {
            await store.AuditAsync(new AuditEvent(AuditActions.FederationReceive, ActorName: "node:?", TargetType: AuditTargets.FederationMessage, Outcome: AuditOutcomes.Refused, Detail: $"hello: {ex.Message}"));
            return (StatusCodes.Status400BadRequest, ex.Message);
        }

        var peer = await store.FindPeerByFingerprintAsync(envelope.Sender, cancellationToken);
        var why = peer is null || peer.Status != PeerStatuses.Active ? FederationStore.NotActiveReason(peer)
            : EnvelopeCheck.WhyRefused(envelope, key.Fingerprint, peer.Fingerprint, peer.PublicKey, time.GetUtcNow());
        if (why is not null)
        {
            await store.AuditAsync(ReceivedEvent(envelope, $"node:{FederationStore.ShortId(envelope.Sender)}", AuditOutcomes.Refused, why));
            return (StatusCodes.Status403Forbidden, why);
        }

        reachability.Heard(peer!.Fingerprint);
        return (StatusCodes.Status204NoContent, null);
    }
}
