namespace Jisr.Server.Federation;

/// <summary>
/// Takes one message from a peer: checks the envelope (<see cref="EnvelopeCheck"/>), the peer and the order, applies
/// what it asks under the policy's peer rules, and answers with an acknowledgement signed by this node. The message,
/// its effect, its inbox row and its audit entries commit in one transaction; a duplicate changes nothing and is
/// acknowledged again; every refusal is audited.
/// </summary>
public sealed partial class FederationReceiver(FederationStore store, NodeIdentity identity, TimeProvider time, ReceiveGate gate, HitCheck.HitFilterReception hitFilters, HitCheck.HitRequestReception hitRequests, PeerReachability reachability, OnwardRecall onwardRecall)
{
    public async Task<ReceiveResult> ReceiveAsync(string body, CancellationToken cancellationToken)
    {
        // One message at a time in this process: the sequence check and the write that moves it on must not interleave.
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            return await ReceiveOneLockedAsync(body, cancellationToken);
        }
        finally
        {
            gate.Lock.Release();
        }
    }

    /// <summary>Reads one envelope and takes it (the caller holds the receive gate).</summary>
    private async Task<ReceiveResult> ReceiveOneLockedAsync(string body, CancellationToken cancellationToken)
    {
        var key = identity.Require();
        FederationEnvelope envelope;
        try
        {
            envelope = ReadEnvelope(body);
        }
        catch (FormatException ex)
        {
            await store.AuditAsync(new AuditEvent(AuditActions.FederationReceive, ActorName: "node:?", TargetType: AuditTargets.FederationMessage, Outcome: AuditOutcomes.Refused, Detail: ex.Message));
            return new ReceiveResult(StatusCodes.Status400BadRequest, null, ex.Message);
        }

        return await ReceiveLockedAsync(key, envelope, body, cancellationToken);
    }

    private static FederationEnvelope ReadEnvelope(string body)
    {
        var envelope = FederationJson.Read<FederationEnvelope>(body);
        if (envelope.Type is null || envelope.Sender is null || envelope.Recipient is null || envelope.PayloadDigest is null || envelope.Payload is null || envelope.Signature is null)
        {
            throw new FormatException("the envelope lacks a field: type, sender, recipient, payloadDigest, payload and signature are required");
        }

        return envelope;
    }

    private async Task<ReceiveResult> ReceiveLockedAsync(NodeKey key, FederationEnvelope envelope, string body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sender = $"node:{FederationStore.ShortId(envelope.Sender)}";
        var peer = await store.FindPeerByFingerprintAsync(envelope.Sender, cancellationToken);
        if (peer is null && await store.FindReceivedAsync(envelope.Id, cancellationToken) is { } taken && taken.PayloadDigest == envelope.PayloadDigest && taken.Sequence == envelope.Sequence)
        {
            // Sent again under a key the peer has since rotated (its acknowledgement was lost): the same message, taken before.
            await store.AuditAsync(ReceivedEvent(envelope, sender, AuditOutcomes.Duplicate, "acknowledged again (sent under the peer's previous key)"));
            return new ReceiveResult(StatusCodes.Status200OK, FederationAck.Create(key.Key, key.Fingerprint, envelope, FederationAck.Duplicate, "received before: nothing changed", now), null);
        }

        if (peer is null || peer.Status != PeerStatuses.Active)
        {
            return await RefuseAsync(key, envelope, sender, StatusCodes.Status403Forbidden, FederationStore.NotActiveReason(peer));
        }

        if (EnvelopeCheck.WhyRefused(envelope, key.Fingerprint, peer.Fingerprint, peer.PublicKey, now) is { } reason)
        {
            return await RefuseAsync(key, envelope, sender, StatusCodes.Status403Forbidden, reason);
        }

        // Signed by the peer's pinned key: it is up, whatever this message asks (a backlog for it need not wait out its back-off).
        reachability.Heard(peer.Fingerprint);
        var before = await store.FindReceivedAsync(envelope.Id, cancellationToken);
        if (before is not null && before.PeerId == peer.Id && before.PayloadDigest == envelope.PayloadDigest && before.Sequence == envelope.Sequence)
        {
            var again = FederationAck.Create(key.Key, key.Fingerprint, envelope, FederationAck.Duplicate, "received before: nothing changed", now);
            await store.AuditAsync(ReceivedEvent(envelope, sender, AuditOutcomes.Duplicate, "acknowledged again"));
            return new ReceiveResult(StatusCodes.Status200OK, again, null);
        }

        var lastIn = await store.LastSequenceInAsync(peer.Id, cancellationToken);
        switch (EnvelopeCheck.Order(envelope.Sequence, lastIn, before is not null))
        {
            case SequenceVerdict.Replay:
            case SequenceVerdict.Duplicate:
                return await RefuseAsync(key, envelope, sender, StatusCodes.Status409Conflict,
                    $"sequence {envelope.Sequence} was used already (this node has applied up to {lastIn}): a replay");
            case SequenceVerdict.Gap:
                return await RefuseAsync(key, envelope, sender, StatusCodes.Status409Conflict,
                    $"out of order: this node expects sequence {lastIn + 1} from this peer, not {envelope.Sequence}");
            case SequenceVerdict.Next:
                break;
        }

        var peerAgencies = await store.AgenciesOfPeerAsync(peer.Id, cancellationToken);
        var (ack, events, rejected) = await ApplyOrRejectAsync(key, envelope, sender, peerAgencies, now, cancellationToken);
        if (rejected)
        {
            // Taken but refused for what it asks: recorded with the signed refusal, so the sequence moves on. The
            // discarded changes took the tracked peer with them: it is read again to record the sequence on.
            peer = (await store.FindPeerAsync(peer.Id, cancellationToken))!;
        }

        await store.SaveReceivedAsync(peer, TakenRow(envelope, body, ack), events, cancellationToken);
        return new ReceiveResult(StatusCodes.Status200OK, ack, null);
    }

    /// <summary>
    /// Applies the message (accepted: the audit events of what it changed, and that it was received) or, when what it
    /// asks is refused here, drops its changes from the store's context and rejects it with the reason. Either way the
    /// message is taken and the answer signed; nothing is saved yet.
    /// </summary>
    private async Task<(FederationAck Ack, List<AuditEvent> Events, bool Rejected)> ApplyOrRejectAsync(
        NodeKey key, FederationEnvelope envelope, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var events = await ApplyAsync(envelope, sender, peerAgencies, now, cancellationToken);
            var ack = FederationAck.Create(key.Key, key.Fingerprint, envelope, FederationAck.Accepted, null, now);
            events.Add(ReceivedEvent(envelope, sender, AuditOutcomes.Success, null));
            return (ack, events, false);
        }
        catch (Exception ex) when (ex is DomainValidationException or DomainStateException or FormatException or PeerRefusal)
        {
            store.Discard();
            var why = ex is DomainValidationException invalid ? $"{invalid.Field}: {invalid.Reason}" : ex.Message;
            return (FederationAck.Create(key.Key, key.Fingerprint, envelope, FederationAck.Rejected, why, now), [ReceivedEvent(envelope, sender, AuditOutcomes.Refused, why)], true);
        }
    }

    /// <summary>The inbox row of a message taken (accepted or rejected), as it came and with the signed answer it got.</summary>
    private static InboxMessage TakenRow(FederationEnvelope envelope, string body, FederationAck ack) => new()
    {
        Id = envelope.Id,
        Sequence = envelope.Sequence,
        Type = envelope.Type,
        Envelope = body,
        PayloadDigest = envelope.PayloadDigest,
        Acknowledgement = FederationJson.Write(ack),
    };

    /// <summary>Applies the message on the store's context (unsaved) and returns the audit events of what it changed.</summary>
    private async Task<List<AuditEvent>> ApplyAsync(FederationEnvelope envelope, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (envelope.Type)
        {
            case FederationMessageTypes.AgreementPropose:
            {
                var terms = FederationJson.Read<AgreementTerms>(envelope.Payload);
                var agreement = SharingAgreement.Received(
                    new AgreementId(terms.Id),
                    new SharingTerms(
                        new AgencyId(terms.ProposerAgencyId),
                        new AgencyId(terms.PartnerAgencyId),
                        [.. terms.ThreatDomains.Select((d, i) => RecordVocabulary.ThreatDomains.Parse(d, $"threatDomains[{i}]"))],
                        Marking.ClassificationNames.Parse(terms.HighestClassification, "highestClassification"),
                        [.. terms.HandlingCodes.Select((h, i) => Marking.HandlingNames.Parse(h, $"handlingCodes[{i}]"))],
                        terms.ValidFrom,
                        terms.ValidUntil),
                    new UserId(terms.ProposedBy),
                    terms.ProposedAt);
                Decide(AccessPolicy.CanPeerProposeAgreement(peerAgencies, agreement, await store.IsOwnAgencyAsync(agreement.PartnerAgencyId, cancellationToken)));
                if (await store.FindAgreementAsync(agreement.Id, cancellationToken) is not null)
                {
                    throw new DomainStateException($"agreement {agreement.Id} exists here already");
                }

                store.AddAgreement(agreement);
                return [AgreementEvent(AuditActions.AgreementPropose, sender, agreement.ProposerAgencyId, agreement)];
            }

            case FederationMessageTypes.AgreementChange:
            {
                var change = FederationJson.Read<AgreementChangeMessage>(envelope.Payload);
                var action = SharingAgreement.ActionNames.Parse(change.Action, "action");
                var by = new AgencyId(change.ByAgencyId);
                var agreement = await store.FindAgreementAsync(new AgreementId(change.AgreementId), cancellationToken);
                Decide(agreement is null ? PolicyDecision.NotVisible : AccessPolicy.CanPeerChangeAgreement(peerAgencies, by, agreement, action));
                switch (action)
                {
                    case AgreementAction.Accept: agreement!.Accept(new UserId(change.ByUserId), now); break;
                    case AgreementAction.Suspend: agreement!.Suspend(by, change.Reason, now); break;
                    case AgreementAction.Resume: agreement!.Resume(change.Reason, now); break;
                    case AgreementAction.End: agreement!.End(change.Reason, now); break;
                }

                return [AgreementEvent(Application.AgreementService.AuditActionOf(action), sender, by, agreement!)];
            }

            case FederationMessageTypes.ReleaseDeliver:
                return await ReceiveReleaseAsync(FederationJson.Read<ReleaseDelivery>(envelope.Payload), envelope.Sender, sender, peerAgencies, now, cancellationToken);

            case FederationMessageTypes.ReleaseRecall:
            {
                var recall = FederationJson.Read<ReleaseRecallMessage>(envelope.Payload);
                var copy = await store.FindRecordAsync(new RecordId(recall.CopyRecordId), cancellationToken);
                var by = new AgencyId(recall.ByAgencyId);
                Decide(AccessPolicy.CanPeerRecallRelease(peerAgencies, by, new ReleaseId(recall.ReleaseId), copy));
                store.RemoveRecord(copy!);
                var onward = await onwardRecall.FollowAsync(copy!.Id, recall.ReleaseId, new UserId(recall.ByUserId), new AuditEvent("", ActorName: sender), recall.Reason, now, cancellationToken);
                return
                [
                    new AuditEvent(AuditActions.ReleaseRecall, ActorName: sender, AgencyId: copy!.HolderAgencyId, TargetType: AuditTargets.Record, TargetId: copy.Id.ToString(),
                        Detail: $"release {recall.ReleaseId:D} recalled by agency {recall.ByAgencyId:D}: the copy is removed; reason={recall.Reason}; from={sender}"),
                    .. onward,
                ];
            }

            case FederationMessageTypes.ConsentRequest:
            {
                var asked = FederationJson.Read<ConsentRequestMessage>(envelope.Payload);
                var consent = ConsentRequest.Received(
                    new ConsentId(asked.ConsentId), new RecordId(asked.RecordId), new RecordId(asked.OriginalRecordId), new AgencyId(asked.OriginatorAgencyId),
                    new AgencyId(asked.RequesterAgencyId), new AgencyId(asked.TargetAgencyId), new UserId(asked.RequestedBy), asked.RequestedAt, asked.Note);
                Decide(AccessPolicy.CanPeerRequestConsent(peerAgencies, consent, await store.IsOwnAgencyAsync(consent.OriginatorAgencyId, cancellationToken)));
                await KnowTargetAsync(asked, cancellationToken);
                if (await store.FindConsentAsync(consent.Id, cancellationToken) is not null)
                {
                    throw new DomainStateException($"consent request {consent.Id} exists here already");
                }

                store.AddConsent(consent);
                return [ConsentEvent(AuditActions.ConsentRequest, sender, consent.OriginatorAgencyId, consent)];
            }

            case FederationMessageTypes.ConsentDecision:
            {
                var decided = FederationJson.Read<ConsentDecisionMessage>(envelope.Payload);
                var by = new AgencyId(decided.ByAgencyId);
                var consent = await store.FindConsentAsync(new ConsentId(decided.ConsentId), cancellationToken);
                Decide(AccessPolicy.CanPeerDecideConsent(peerAgencies, by, consent));
                if (decided.Granted)
                {
                    consent!.Grant(new UserId(decided.ByUserId), decided.Reason, now);
                }
                else
                {
                    consent!.Refuse(new UserId(decided.ByUserId), decided.Reason, now);
                }

                return [ConsentEvent(decided.Granted ? AuditActions.ConsentGrant : AuditActions.ConsentRefuse, sender, consent.RequesterAgencyId, consent)];
            }

            case FederationMessageTypes.AuditCheckpoint:
                return await ReceiveCheckpointAsync(envelope, sender, cancellationToken);

            case FederationMessageTypes.KeyRotate:
                return await ReceiveKeyRotationAsync(envelope, sender, cancellationToken);

            case FederationMessageTypes.NoticeState:
                return await ReceiveNoticeAsync(FederationJson.Read<NoticeStateMessage>(envelope.Payload), sender, peerAgencies, now, cancellationToken);
            case FederationMessageTypes.HitFilterPublish:
                return await hitFilters.ApplyAsync(envelope, sender, peerAgencies, now, cancellationToken);
            case FederationMessageTypes.HitRequestOpen:
                return await hitRequests.OpenAsync(envelope, sender, peerAgencies, now, cancellationToken);
            case FederationMessageTypes.HitRequestReply:
                return await hitRequests.ReplyAsync(envelope, sender, peerAgencies, now, cancellationToken);
            case FederationMessageTypes.HitNotice:
                return await hitRequests.NoticeAsync(envelope, sender, peerAgencies, now, cancellationToken);

            default:
                throw new PeerRefusal($"this node does not know the message type '{envelope.Type}'");
        }
    }

    /// <summary>
    /// A release from a peer's agency to one of this node's: the bundle read by the STIX importer as the recipient
    /// (cleared to the agreement's highest classification, so nothing above it gets in), checked by the policy, and
    /// kept as a read-only copy with the id, provenance and agreement the releasing node gave it.
    /// </summary>
    private async Task<List<AuditEvent>> ReceiveReleaseAsync(ReleaseDelivery delivery, string senderNode, string sender, IReadOnlySet<AgencyId> peerAgencies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipientId = new AgencyId(delivery.RecipientAgencyId);
        var agreement = await store.FindAgreementAsync(new AgreementId(delivery.AgreementId), cancellationToken);
        var recipientIsOwn = await store.IsOwnAgencyAsync(recipientId, cancellationToken);
        Decide(AccessPolicy.CanPeerDeliverRelease(peerAgencies, new AgencyId(delivery.ReleasingAgencyId), recipientId, recipientIsOwn, agreement, null, now));
        var onward = await OnwardAsync(delivery, senderNode, peerAgencies, cancellationToken);

        var importer = new Principal(new UserId(delivery.ReleasedBy), sender, recipientId, "", new HashSet<Domain.Users.Role> { Domain.Users.Role.Analyst }, agreement!.HighestClassification);
        var (received, entities) = await ReleaseBundle.ReadAsync(delivery, importer, now, cancellationToken);
        Decide(AccessPolicy.CanPeerDeliverRelease(peerAgencies, new AgencyId(delivery.ReleasingAgencyId), recipientId, recipientIsOwn, agreement, received, now));
        var copyId = new RecordId(delivery.CopyRecordId);
        var recipients = await RecipientsAsync(delivery, recipientId, cancellationToken);
        if (await store.RecordExistsAsync(copyId, cancellationToken))
        {
            throw new DomainStateException($"record {copyId} exists here already");
        }

        var copy = Record.CreateReceivedCopy(
            copyId,
            received,
            new AgencyId(delivery.OriginatorAgencyId),
            recipientId,
            new UserId(delivery.AuthorUserId),
            delivery.CreatedAt,
            new ReleaseProvenance(new ReleaseId(delivery.ReleaseId), new RecordId(delivery.OriginalRecordId), new RecordId(delivery.SourceRecordId), new AgencyId(delivery.ReleasingAgencyId), new UserId(delivery.ReleasedBy), delivery.ReleasedAt),
            agreement,
            recipients,
            now);
        store.AddReceivedCopy(copy, entities);
        return
        [
            new AuditEvent(AuditActions.ReleaseReceive, ActorName: sender, AgencyId: recipientId, TargetType: AuditTargets.Record, TargetId: copyId.ToString(),
                Detail: $"release {delivery.ReleaseId:D}; from agency {delivery.ReleasingAgencyId:D}; agreement {delivery.AgreementId:D}; from={sender}{onward}"),
        ];
    }

    /// <summary>
    /// The copy's named recipients (TLP:RED): the releasing node names users of the recipient agency by user name,
    /// since it does not know them; they are resolved here, among that agency's users only. A name that is none of
    /// them refuses the release (the answer does not say which, so a partner cannot probe user names one by one).
    /// </summary>
    private async Task<List<UserId>> RecipientsAsync(ReleaseDelivery delivery, AgencyId recipientId, CancellationToken cancellationToken)
    {
        if (delivery.RecipientUserIds.Count > 0)
        {
            throw new PeerRefusal("a release from another node names its recipients by user name: user ids of another node mean nothing here");
        }

        if (delivery.RecipientUserNames is not { Count: > 0 } names)
        {
            return [];
        }

        var (users, unknown) = await store.UsersOfAgencyAsync(recipientId, names, cancellationToken);
        return unknown == 0
            ? users
            : throw new PeerRefusal($"{unknown} of the {names.Count} named recipients are not users of the recipient agency on this node");
    }

    private static void Decide(PolicyDecision decision)
    {
        if (!decision.IsAllowed)
        {
            throw new PeerRefusal(decision.Outcome == PolicyOutcome.NotVisible ? "no such item here, or the sending node's agencies are not party to it" : decision.Reason ?? "not allowed");
        }
    }

    private async Task<ReceiveResult> RefuseAsync(NodeKey key, FederationEnvelope envelope, string sender, int status, string reason)
    {
        await store.AuditAsync(ReceivedEvent(envelope, sender, AuditOutcomes.Refused, reason));
        return new ReceiveResult(status, FederationAck.Create(key.Key, key.Fingerprint, envelope, FederationAck.Refused, reason, time.GetUtcNow()), reason);
    }

    private static AuditEvent ReceivedEvent(FederationEnvelope envelope, string sender, string outcome, string? reason) =>
        new(AuditActions.FederationReceive, ActorName: sender, TargetType: AuditTargets.FederationMessage, TargetId: envelope.Id.ToString("D"), Outcome: outcome,
            Detail: $"type={envelope.Type} sequence={envelope.Sequence} sha256={envelope.PayloadDigest} {reason}".TrimEnd());

    private static AuditEvent ConsentEvent(string action, string sender, AgencyId agency, ConsentRequest consent) =>
        new(action, ActorName: sender, AgencyId: agency, TargetType: AuditTargets.Consent, TargetId: consent.Id.ToString(),
            Detail: $"record {consent.RecordId:D} (original {consent.OriginalRecordId:D}); to agency {consent.TargetAgencyId:D}; status={ConsentRequest.StatusNames[consent.Status]}; from={sender}");

    private static AuditEvent AgreementEvent(string action, string sender, AgencyId by, SharingAgreement agreement) =>
        new(action, ActorName: sender, AgencyId: by, TargetType: AuditTargets.Agreement, TargetId: agreement.Id.ToString(),
            Detail: $"status={SharingAgreement.StatusNames[agreement.Status]} from={sender}");
}

/// <summary>What the receiving endpoint answers: a status and the signed acknowledgement (none for a message that could not be read).</summary>
public sealed record ReceiveResult(int StatusCode, FederationAck? Ack, string? Problem);

/// <summary>Serialises receipt in this process.</summary>
public sealed class ReceiveGate
{
    public SemaphoreSlim Lock { get; } = new(1, 1);
}

/// <summary>A peer's message asks for something the policy or this node refuses; the reason goes back in the acknowledgement.</summary>
public sealed class PeerRefusal : Exception
{
    public PeerRefusal(string message)
        : base(message)
    {
    }

    public PeerRefusal()
    {
    }

    public PeerRefusal(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
