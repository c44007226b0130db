using System.Security.Cryptography;

namespace Jisr.Server.Federation;

/// <summary>
/// Receiving a batch of messages from one peer (<see cref="FederationBatch"/>): each is checked, applied and
/// acknowledged exactly as one sent alone, in the batch's order. A run of messages that are plainly next in order is
/// applied and recorded in one transaction (one commit, not one per message); a message that cannot join a run (a
/// duplicate, one refused, a key rotation) goes the single way, and after a refusal the batch stops.
/// </summary>
public sealed partial class FederationReceiver
{
    /// <summary>Types that change how later messages are checked, or that apply through another store: never in a run.</summary>
    private static readonly HashSet<string> AloneTypes = new(StringComparer.Ordinal) { FederationMessageTypes.KeyRotate, FederationMessageTypes.HitFilterPublish, FederationMessageTypes.ReleaseRecall };

    public async Task<BatchReceiveResult> ReceiveBatchAsync(string body, CancellationToken cancellationToken)
    {
        var key = identity.Require();
        FederationBatch batch;
        try
        {
            batch = FederationBatch.Read(body);
        }
        catch (FormatException ex)
        {
            await store.AuditAsync(new AuditEvent(AuditActions.FederationReceive, ActorName: "node:?", TargetType: AuditTargets.FederationMessage, Outcome: AuditOutcomes.Refused, Detail: $"batch: {ex.Message}"));
            return new BatchReceiveResult(StatusCodes.Status400BadRequest, null, ex.Message);
        }

        var acks = new List<FederationAck>(batch.Messages.Count);
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            var next = 0;
            while (next < batch.Messages.Count)
            {
                next += await ReceiveRunAsync(key, batch.Messages, next, acks, cancellationToken);
                if (next == batch.Messages.Count)
                {
                    break;
                }

                var single = await ReceiveOneLockedAsync(batch.Messages[next], cancellationToken);
                if (single.Ack is null)
                {
                    // Unreadable: nothing to acknowledge it with; what came before stands, the sender learns why.
                    return acks.Count == 0
                        ? new BatchReceiveResult(single.StatusCode, null, $"message {next + 1} of the batch: {single.Problem}")
                        : new BatchReceiveResult(StatusCodes.Status200OK, new FederationBatchAck(acks), null);
                }

                acks.Add(single.Ack);
                next++;
                if (single.Ack.Status == FederationAck.Refused)
                {
                    break; // not taken: whatever follows it would be out of order
                }
            }
        }
        finally
        {
            gate.Lock.Release();
        }

        return new BatchReceiveResult(StatusCodes.Status200OK, new FederationBatchAck(acks), null);
    }

    /// <summary>
    /// Takes the longest run of messages from <paramref name="start"/> on that come from an active peer, pass the
    /// envelope checks and are each the next in sequence, applying and recording them in one transaction; their
    /// acknowledgements are added to <paramref name="acks"/>. Returns how many it took (0 when the first cannot run).
    /// </summary>
    private async Task<int> ReceiveRunAsync(NodeKey key, IReadOnlyList<string> messages, int start, List<FederationAck> acks, CancellationToken cancellationToken)
    {
        FederationPeer? peer = null;
        using var peerKey = ECDsa.Create(); // the pinned key, imported once for the run's envelopes
        IReadOnlySet<AgencyId> peerAgencies = new HashSet<AgencyId>();
        long lastIn = 0;
        var taken = new List<FederationAck>();
        await store.SaveReceivedEachAsync(async ct =>
        {
            if (start + taken.Count >= messages.Count)
            {
                return null;
            }

            var body = messages[start + taken.Count];
            FederationEnvelope envelope;
            try
            {
                envelope = ReadEnvelope(body);
            }
            catch (FormatException)
            {
                return null; // the single way says why, audited
            }

            if (AloneTypes.Contains(envelope.Type))
            {
                return null;
            }

            var now = time.GetUtcNow();
            if (peer is null)
            {
                peer = await store.FindPeerByFingerprintAsync(envelope.Sender, ct);
                if (peer is null || peer.Status != PeerStatuses.Active)
                {
                    return null;
                }

                lastIn = await store.LastSequenceInAsync(peer.Id, ct);
                peerAgencies = await store.AgenciesOfPeerAsync(peer.Id, ct);
                peerKey.ImportSubjectPublicKeyInfo(peer.PublicKey, out _);
            }

            if (envelope.Sequence != lastIn + 1
                || EnvelopeCheck.WhyRefused(envelope, key.Fingerprint, peer.Fingerprint, peer.PublicKey, peerKey, now) is not null
                || await store.FindReceivedAsync(envelope.Id, ct) is not null)
            {
                return null; // duplicates, replays, gaps and refusals go the single way, which answers and audits them
            }

            var sender = $"node:{FederationStore.ShortId(envelope.Sender)}";

            // Refused for what it asks (as a single message would be): only this message's changes are dropped; those
            // before it are flushed already.
            var (ack, events, _) = await ApplyOrRejectAsync(key, envelope, sender, peerAgencies, now, ct);
            lastIn = envelope.Sequence;
            taken.Add(ack);
            var row = TakenRow(envelope, body, ack);
            row.PeerId = peer.Id;
            return (row, (IReadOnlyList<AuditEvent>)events);
        }, cancellationToken);
        if (peer is not null && taken.Count > 0)
        {
            reachability.Heard(peer.Fingerprint);
        }

        acks.AddRange(taken);
        return taken.Count;
    }
}

/// <summary>What the batch endpoint answers: a status and the signed acknowledgements (none for a batch that could not be read).</summary>
public sealed record BatchReceiveResult(int StatusCode, FederationBatchAck? Acks, string? Problem);
