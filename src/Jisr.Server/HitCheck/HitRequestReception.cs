using Jisr.Exchange.HitCheck;
using Jisr.Server.Federation;
using Jisr.Storage.HitCheck;

namespace Jisr.Server.HitCheck;

/// <summary>
/// Hit requests and answers arriving from a peer. A request: the policy's peer rule, then the flood guard (per peer
/// and agreement, by this node's clock): over the rate it is kept, refused for rate (the owner sees the flood) and the
/// refusal is sent back by the upkeep; otherwise it is kept open and the owner agency is told who asked and why. An
/// answer: only from the node hosting the owner, for a request asked from here. A hit notice: kept, or over the notice
/// rate counted on the latest one. Anything else is refused with the reason.
/// </summary>
public sealed class HitRequestReception(HitRequestStore requests, FederationStore federation, HitRequestOptions options)
{
    public async Task<List<AuditEvent>> OpenAsync(FederationEnvelope envelope, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var message = FederationJson.Read<HitRequestMessage>(envelope.Payload!);
        var terms = message.Terms;
        var request = HitRequest.Received(
            message.RequestId, new AgreementId(message.AgreementId), new AgencyId(message.RequesterAgencyId), new AgencyId(message.OwnerAgencyId), new UserId(message.RequestedBy),
            message.RequestedByName, terms.QueryKind, terms.Query, terms.HitParts ?? [], terms.Purpose, terms.LegalBasis,
            Marking.HandlingNames.Parse(terms.Handling, "handling"), HitRequest.UrgencyNames.Parse(terms.Urgency, "urgency"), terms.RequestedAt, now);
        var agreement = await federation.FindAgreementAsync(request.AgreementId, cancellationToken);
        Refuse(AccessPolicy.CanPeerOpenHitRequest(peerAgencies, request, await federation.IsOwnAgencyAsync(request.OwnerAgencyId, cancellationToken), agreement, now));
        if (await requests.ExistsAsync(request.Id, cancellationToken))
        {
            throw new DomainStateException($"hit request {request.Id:D} exists here already");
        }

        var recent = await requests.CountReceivedSinceAsync(request.AgreementId, request.RequesterAgencyId, now - options.RateWindow, cancellationToken);
        var rate = AccessPolicy.WithinHitRequestRate(recent, options.RateLimit, options.RateWindow);
        var received = new AuditEvent("", ActorName: sender, Purpose: request.Purpose);
        if (!rate.IsAllowed)
        {
            request.RefuseOverRate(rate.Reason!, now);
            requests.StageReceived(request);
            return [HitRequestService.Event(AuditActions.HitRequestReceive, received with { Outcome = AuditOutcomes.Refused }, request.OwnerAgencyId, request, $"from={sender}")];
        }

        requests.StageReceived(request);
        return [HitRequestService.Event(AuditActions.HitRequestReceive, received, request.OwnerAgencyId, request, $"from={sender}")];
    }

    public async Task<List<AuditEvent>> ReplyAsync(FederationEnvelope envelope, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var reply = FederationJson.Read<HitReplyMessage>(envelope.Payload!);
        var request = await requests.FindAsync(reply.RequestId, cancellationToken);
        Refuse(AccessPolicy.CanPeerReplyToHitRequest(peerAgencies, new AgencyId(reply.OwnerAgencyId), request));
        var by = reply.ByUserId is { } user ? new UserId(user) : (UserId?)null;
        switch (HitRequest.StatusNames.Parse(reply.Status, "status"))
        {
            case HitRequestStatus.ReleasePending:
                request!.AwaitRelease(new ReleaseId(reply.ReleaseId ?? throw DomainValidationException.Coded("releaseId", ValidationCodes.Required, "a pending release names it")), by ?? default, reply.ByName, reply.Reason, now);
                break;
            case HitRequestStatus.Released:
                request!.Release(new ReleaseId(reply.ReleaseId ?? throw DomainValidationException.Coded("releaseId", ValidationCodes.Required, "a release names it")), reply.CopyRecordId is { } copy ? new RecordId(copy) : null, by ?? default, reply.ByName, reply.Reason, now);
                break;
            case HitRequestStatus.Refused when reply.RateLimited:
                request!.RefuseOverRate(reply.Reason ?? "over the partner's rate", now);
                break;
            case HitRequestStatus.Refused:
                request!.Refuse(by, reply.ByName, reply.Reason, now);
                break;
            default:
                throw DomainValidationException.Coded("status", ValidationCodes.MustBeOneOf, "an answer is release-pending, released or refused", "release-pending, released, refused");
        }

        return [HitRequestService.Event(AuditActions.HitRequestReply, new AuditEvent("", ActorName: sender), request.RequesterAgencyId, request, $"answer taken; from={sender}")];
    }

    /// <summary>
    /// A peer's check hit the filter of an agency of this node: kept (once per notice id) and audited for the owner
    /// agency, if the policy allows it (requester hosted by the sender, agreement between the two in force here).
    /// </summary>
    public async Task<List<AuditEvent>> NoticeAsync(FederationEnvelope envelope, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var message = FederationJson.Read<HitNoticeMessage>(envelope.Payload!);
        var requester = new AgencyId(message.RequesterAgencyId);
        var owner = new AgencyId(message.OwnerAgencyId);
        var agreement = await federation.FindAgreementAsync(new AgreementId(message.AgreementId), cancellationToken);
        Refuse(AccessPolicy.CanPeerNoticeHit(peerAgencies, requester, owner, await federation.IsOwnAgencyAsync(owner, cancellationToken), agreement, now));
        if (message.KeysHit is < 1 or > 64)
        {
            throw DomainValidationException.Coded("keysHit", ValidationCodes.OutOfRange, "a hit notice counts 1 to 64 keys that hit", 1, 64);
        }

        if (await requests.NoticeExistsAsync(message.NoticeId, cancellationToken))
        {
            throw new DomainStateException($"hit notice {message.NoticeId:D} exists here already");
        }

        // The flood guard: over the notice rate the hit is counted on the latest notice of that partner and agreement,
        // so the owner still knows of every hit but a partner checking in a loop adds no rows.
        var kept = await requests.CountNoticesSinceAsync(message.AgreementId, message.RequesterAgencyId, message.OwnerAgencyId, now - options.NoticeWindow, cancellationToken);
        var rate = AccessPolicy.WithinHitNoticeRate(kept, options.NoticeLimit, options.NoticeWindow);
        if (!rate.IsAllowed && await requests.LatestNoticeAsync(message.AgreementId, message.RequesterAgencyId, message.OwnerAgencyId, cancellationToken) is { } latest)
        {
            latest.Hits++;
            latest.LastReceivedAt = now;
            return
            [
                new AuditEvent(AuditActions.HitNoticeReceive, ActorName: sender, AgencyId: owner, TargetType: AuditTargets.HitNotice, TargetId: latest.Id.ToString("D"), Outcome: AuditOutcomes.Refused,
                    Detail: $"a check by agency {message.RequesterAgencyId:D} hit this agency's filter at {message.CheckedAt:u}; agreement {message.AgreementId:D}; {message.KeysHit} keys hit; notice {message.NoticeId:D} counted on notice {latest.Id:D} ({latest.Hits} hits): {rate.Reason}; from={sender}"),
            ];
        }

        requests.StageNotice(new HitNotice
        {
            Id = message.NoticeId,
            AgreementId = message.AgreementId,
            RequesterAgencyId = message.RequesterAgencyId,
            OwnerAgencyId = message.OwnerAgencyId,
            KeysHit = message.KeysHit,
            CheckedAt = message.CheckedAt,
            ReceivedAt = now,
            MessageId = envelope.Id,
        });
        return
        [
            new AuditEvent(AuditActions.HitNoticeReceive, ActorName: sender, AgencyId: owner, TargetType: AuditTargets.HitNotice, TargetId: message.NoticeId.ToString("D"),
                Detail: $"a check by agency {message.RequesterAgencyId:D} hit this agency's filter at {message.CheckedAt:u}; agreement {message.AgreementId:D}; {message.KeysHit} keys hit; from={sender}"),
        ];
    }

    private static void Refuse(PolicyDecision decision)
    {
        if (!decision.IsAllowed)
        {
            throw new PeerRefusal(decision.Outcome == PolicyOutcome.NotVisible ? "no such hit request here, or the sending node does not host its owner" : decision.Reason ?? "not allowed");
        }
    }
}
