using System.Security.Cryptography;

namespace Jisr.Server.Federation;

/// <summary>Receiving a peer's signed audit checkpoint.</summary>
public sealed partial class FederationReceiver
{
    /// <summary>
    /// Keeps a peer's checkpoint (its inbox row is the copy): it must be signed by the audit key it names, the same key
    /// as the peer's earlier checkpoints, and must not contradict one kept before (another hash for the same entry is a
    /// rewritten chain: rejected, and the rejection audited here with both hashes).
    /// </summary>
    private async Task<List<AuditEvent>> ReceiveCheckpointAsync(FederationEnvelope envelope, string sender, CancellationToken cancellationToken)
    {
        var message = FederationJson.Read<AuditCheckpointMessage>(envelope.Payload);
        AuditCheckpoint checkpoint;
        try
        {
            checkpoint = CheckpointExchange.ToCheckpoint(message);
            using var key = AuditPublicKey.FromPem(message.PublicKey);
            if (key.KeyId != message.KeyId || !key.Signed(checkpoint))
            {
                throw new PeerRefusal("the checkpoint's signature does not verify with the audit key it names");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or InvalidOperationException)
        {
            throw new FormatException($"the checkpoint or its audit key is malformed: {ex.Message}", ex);
        }

        var peer = (await store.FindPeerByFingerprintAsync(envelope.Sender, cancellationToken))!;
        var (pem, kept) = await CheckpointExchange.ReceivedFromAsync(store, peer.Id, cancellationToken);
        if (pem is not null && pem != message.PublicKey)
        {
            throw new PeerRefusal("the checkpoint is signed by another audit key than the peer's earlier checkpoints");
        }

        if (kept.FirstOrDefault(c => c.Sequence == checkpoint.Sequence && !c.EntryHash.AsSpan().SequenceEqual(checkpoint.EntryHash)) is { } earlier)
        {
            throw new PeerRefusal($"entry {checkpoint.Sequence} of the peer's audit chain had hash {Convert.ToHexStringLower(earlier.EntryHash)} in an earlier checkpoint, {message.EntryHash} now: its audit chain was rewritten");
        }

        return
        [
            new AuditEvent(AuditActions.PeerCheckpoint, ActorName: sender, TargetType: AuditTargets.Peer, TargetId: envelope.Sender,
                Detail: $"audit checkpoint kept: entry {checkpoint.Sequence} has hash {message.EntryHash}, signed {checkpoint.At:O} by audit key {checkpoint.KeyId}"),
        ];
    }
}
