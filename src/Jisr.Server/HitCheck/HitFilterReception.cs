using Jisr.Exchange.HitCheck;
using Jisr.Server.Federation;
using Jisr.Storage.HitCheck;

namespace Jisr.Server.HitCheck;

/// <summary>
/// A partner's filter arriving in a <c>hitfilter.publish</c> message: the policy's peer rule, a well-formed filter
/// for the agreement named, of a current epoch, built with the key both nodes derive for it; then it replaces the
/// one before. Anything else is refused with the reason (the receiver signs it back and audits it).
/// </summary>
public sealed class HitFilterReception(HitFilterStore filters, FederationStore federation, HitKeyRing keys)
{
    public async Task<List<AuditEvent>> ApplyAsync(FederationEnvelope envelope, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var message = FederationJson.Read<HitFilterMessage>(envelope.Payload!);
        var owner = new AgencyId(message.OwnerAgencyId);
        var recipient = new AgencyId(message.RecipientAgencyId);
        var agreement = await federation.FindAgreementAsync(new AgreementId(message.AgreementId), cancellationToken);
        Refuse(AccessPolicy.CanPeerPublishHitFilter(peerAgencies, owner, recipient, await federation.IsOwnAgencyAsync(recipient, cancellationToken), agreement, now));

        byte[] bytes, salt;
        try
        {
            bytes = Convert.FromBase64String(message.Filter);
            salt = Convert.FromBase64String(message.Salt);
        }
        catch (FormatException)
        {
            throw new FormatException("the filter or its salt is not base64");
        }

        var filter = HitFilter.Read(bytes);
        if (filter.AgreementId != message.AgreementId || filter.Epoch != message.Epoch || salt.Length is < 16 or > 32)
        {
            throw new PeerRefusal("the filter's agreement or epoch differs from the message's, or its salt is not 16 to 32 bytes");
        }

        if (!HitKeyRing.IsCurrent(filter.Epoch, now))
        {
            throw new PeerRefusal($"the filter was built with a rotated-out key (epoch {filter.Epoch}; this node takes epochs {HitFilterMessage.EpochOf(now) - 1} and {HitFilterMessage.EpochOf(now)})");
        }

        var peer = await federation.FindPeerByFingerprintAsync(envelope.Sender!, cancellationToken);
        if (peer is null || keys.KeyFor(peer, message.AgreementId, filter.Epoch, salt).Check != filter.KeyCheck)
        {
            throw new PeerRefusal("the filter was built with another key than the one both nodes derive for this agreement, epoch and salt");
        }

        var id = Guid.CreateVersion7(now);
        await filters.StageReceivedAsync(
            new ReceivedHitFilter
            {
                Id = id, AgreementId = message.AgreementId, OwnerAgencyId = message.OwnerAgencyId, RecipientAgencyId = message.RecipientAgencyId, PeerId = peer.Id,
                Epoch = filter.Epoch, Salt = salt, Filter = bytes, KeyCount = filter.Filter.KeyCount, BuiltAt = message.BuiltAt, ReceivedAt = now, MessageId = envelope.Id,
            },
            cancellationToken);
        return
        [
            new AuditEvent(AuditActions.HitFilterReceive, ActorName: sender, AgencyId: recipient, TargetType: AuditTargets.HitFilter, TargetId: id.ToString("D"),
                Detail: $"agreement {message.AgreementId:D}; owner agency {message.OwnerAgencyId:D}; epoch {filter.Epoch}; {filter.Filter.KeyCount} keys, {bytes.Length} bytes; from={sender}"),
        ];
    }

    private static void Refuse(PolicyDecision decision)
    {
        if (!decision.IsAllowed)
        {
            throw new PeerRefusal(decision.Reason ?? "not allowed");
        }
    }
}
