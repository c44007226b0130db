namespace Jisr.Storage.Federation;

/// <summary>
/// Peers, their agencies, the outbox and the inbox. A message is staged on the caller's context and committed by the
/// caller's own audited save, so it is written in the same transaction as the change that causes it; what is
/// received is applied, recorded in the inbox and audited in one transaction too.
/// </summary>
public sealed partial class FederationStore(JisrDbContext db, AuditLog audit, NodeIdentity identity, TimeProvider time)
{
    /// <summary>The shortest and longest waits between delivery attempts (doubling in between).</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(5);

    /// <summary>How long a message is offered before it is abandoned (the receiver refuses it past its expiry anyway).</summary>
    public static readonly TimeSpan MessageLifetime = TimeSpan.FromDays(7);

    public Task<List<FederationPeer>> ListPeersAsync(CancellationToken cancellationToken) =>
        db.Set<FederationPeer>().AsNoTracking().OrderBy(p => p.AddedAt).ToListAsync(cancellationToken);

    public async Task<List<FederationPeer>> ListPeersAsync(AuditEvent reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var peers = await ListPeersAsync(cancellationToken);
        await audit.AppendAsync(reader with { Action = AuditActions.PeerList, Detail = $"{peers.Count} peers" });
        return peers;
    }

    public Task<FederationPeer?> FindPeerAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<FederationPeer>().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public Task<FederationPeer?> FindPeerByFingerprintAsync(string fingerprint, CancellationToken cancellationToken) =>
        db.Set<FederationPeer>().FirstOrDefaultAsync(p => p.Fingerprint == fingerprint, cancellationToken);

    /// <summary>The agencies hosted on this node (not those of peers).</summary>
    public Task<List<Agency>> OwnAgenciesAsync(CancellationToken cancellationToken) =>
        db.Agencies.AsNoTracking().Where(a => !db.Set<RemoteAgency>().Any(r => r.AgencyId == a.Id)).OrderBy(a => a.Code).ToListAsync(cancellationToken);

    /// <summary>The peer hosting <paramref name="agencyId"/>, or null for an agency of this node.</summary>
    public Task<FederationPeer?> PeerOfAgencyAsync(AgencyId agencyId, CancellationToken cancellationToken) =>
        CompiledFederationReads.PeerOfAgencyAsync(db, agencyId, cancellationToken);

    public async Task<HashSet<AgencyId>> AgenciesOfPeerAsync(Guid peerId, CancellationToken cancellationToken) =>
        [.. await db.Set<RemoteAgency>().Where(r => r.PeerId == peerId).Select(r => r.AgencyId).ToListAsync(cancellationToken)];

    public Task<List<string>> AgencyCodesOfPeerAsync(Guid peerId, CancellationToken cancellationToken) =>
        db.Agencies.AsNoTracking().Where(a => db.Set<RemoteAgency>().Any(r => r.AgencyId == a.Id && r.PeerId == peerId)).OrderBy(a => a.Code).Select(a => a.Code).ToListAsync(cancellationToken);

    /// <summary>
    /// Registers a peer pinned by <paramref name="fingerprint"/> with the key and agencies it described over a channel
    /// that key authenticated; its agencies become known here with the ids they have there. Audited.
    /// </summary>
    public async Task<FederationPeer> AddPeerAsync(AuditEvent by, Uri url, string fingerprint, byte[] publicKey, IReadOnlyList<Agency> agencies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(agencies);
        Guard.That(fingerprint != identity.Require().Fingerprint, "fingerprint", ValidationCodes.OwnNode, "that is this node's own fingerprint: a node is not its own peer");
        if (await FindPeerByFingerprintAsync(fingerprint, cancellationToken) is { } known)
        {
            // The caller checked that the key it was given hashes to the fingerprint: the same key the relayed node proved.
            if (known.Status == PeerStatuses.Relayed)
            {
                return await AdoptRelayedAsync(by, known, url, publicKey, agencies, cancellationToken);
            }

            throw new DomainStateException($"node {ShortId(fingerprint)} is a peer already ({known.Status}, {known.Url})");
        }

        var now = time.GetUtcNow();
        var peer = new FederationPeer { Id = Guid.CreateVersion7(now), Url = url.ToString(), Fingerprint = fingerprint, PublicKey = publicKey, AddedAt = now };
        db.Add(peer);
        foreach (var agency in agencies)
        {
            await AddRemoteAgencyAsync(peer.Id, agency, cancellationToken);
        }

        await audit.SaveWithAuditAsync(db, by with
        {
            Action = AuditActions.PeerAdd,
            TargetType = AuditTargets.Peer,
            TargetId = fingerprint,
            Detail = $"url={url} agencies={string.Join(',', agencies.Select(a => a.Code))}",
        }, cancellationToken);
        return peer;
    }

    /// <summary>Adds an agency hosted by a peer; its code and id must be new here (unique across peered nodes).</summary>
    private async Task AddRemoteAgencyAsync(Guid peerId, Agency agency, CancellationToken cancellationToken)
    {
        var existing = await db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agency.Id || a.Code == agency.Code, cancellationToken);
        Guard.That(existing is null, "agencies", ValidationCodes.AgencyClash, $"the peer hosts agency {agency.Code}, but an agency {existing?.Code} ({existing?.Id}) is known here already: codes and ids must be unique across peered nodes", agency.Code);
        db.Agencies.Add(agency);
        db.Add(new RemoteAgency { AgencyId = agency.Id, PeerId = peerId });
    }

    /// <summary>Revokes a peer: nothing more is sent to it or accepted from it; its pending messages are abandoned. Audited.</summary>
    public async Task<FederationPeer?> RevokePeerAsync(AuditEvent by, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var peer = await FindPeerAsync(id, cancellationToken);
        if (peer is null)
        {
            return null;
        }

        if (peer.Status == PeerStatuses.Revoked)
        {
            throw new DomainStateException($"peer {ShortId(peer.Fingerprint)} is revoked already");
        }

        var now = time.GetUtcNow();
        peer.Status = PeerStatuses.Revoked;
        peer.RevokedAt = now;
        await db.Set<OutboxMessage>().Where(m => m.PeerId == id && m.Status == DeliveryStatuses.Pending).LoadAsync(cancellationToken);
        foreach (var pending in db.ChangeTracker.Entries<OutboxMessage>().Select(e => e.Entity).Where(m => m.PeerId == id && m.Status == DeliveryStatuses.Pending))
        {
            pending.Status = DeliveryStatuses.Abandoned;
            pending.LastError = "the peer was revoked";
        }

        await audit.SaveWithAuditAsync(db, by with { Action = AuditActions.PeerRevoke, TargetType = AuditTargets.Peer, TargetId = peer.Fingerprint, Detail = $"url={peer.Url}" }, cancellationToken);
        return peer;
    }

    /// <summary>
    /// Adds a message to <paramref name="peer"/> (tracked) to the outbox on this context, unsaved, with the next
    /// sequence; <paramref name="seal"/> makes the signed envelope for that sequence (again at save time, should the
    /// sequence move because another transaction sent to the peer since it was loaded). Returns the audit event the
    /// caller's save must carry (type, sequence, payload digest), so the message commits with the change causing it.
    /// </summary>
    public AuditEvent Stage(FederationPeer peer, string type, AuditEvent actor, Func<long, DateTimeOffset, SealedMessage> seal)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(seal);
        if (peer.Status != PeerStatuses.Active)
        {
            throw new DomainStateException(peer.Status == PeerStatuses.Relayed
                ? $"the node hosting this agency ({ShortId(peer.Fingerprint)}) is not a peer of this node (known only as the originator of copies a peer passed on): a node administrator must peer with it first"
                : $"the node hosting this agency ({ShortId(peer.Fingerprint)}) is a revoked peer: nothing can be sent to it");
        }

        var now = time.GetUtcNow();
        var peerName = ShortId(peer.Fingerprint);
        string Detail(long sequence, SealedMessage sealedMessage) => $"type={type} peer={peerName} sequence={sequence} sha256={sealedMessage.PayloadDigest}";

        // Numbered from the counter as loaded; the audited save renumbers (and re-seals) it if another transaction
        // sent to this peer in between (see OutboxSequencing).
        peer.LastSequenceOut++;
        var message = seal(peer.LastSequenceOut, now);
        db.Add(new OutboxMessage
        {
            Id = message.Id,
            PeerId = peer.Id,
            Sequence = peer.LastSequenceOut,
            Type = type,
            Envelope = message.Envelope,
            PayloadDigest = message.PayloadDigest,
            CreatedAt = now,
            NextAttemptAt = now,
            Staged = new StagedSeal(seal, Detail),
        });
        return actor with
        {
            Action = AuditActions.FederationSend,
            TargetType = AuditTargets.FederationMessage,
            TargetId = message.Id.ToString("D"),
            Detail = Detail(peer.LastSequenceOut, message),
        };
    }

    /// <summary>
    /// Each active peer's first <paramref name="perPeer"/> pending messages, for the peers whose first one is due, or
    /// for which <paramref name="backNow"/> (fingerprint, attempts of the first) lifts the back-off: the peer is back.
    /// The first is read alone before the rest, so a peer in back-off costs one indexed read, not a batch of envelopes.
    /// </summary>
    public async Task<List<(FederationPeer Peer, List<OutboxMessage> Messages)>> DueAsync(DateTimeOffset now, int perPeer, Func<string, int, bool> backNow, CancellationToken cancellationToken) =>
        (await DueOrNextAsync(now, perPeer, backNow, cancellationToken)).Due;

    /// <summary>
    /// As <see cref="DueAsync"/>, and, when no peer is due, when the next one falls due (as <see cref="NextDueAsync"/>
    /// would say) from the same reads: a node writing a backlog for a peer that is down wakes delivery with every
    /// message, and each wake costs this one pass.
    /// </summary>
    public async Task<(List<(FederationPeer Peer, List<OutboxMessage> Messages)> Due, DateTimeOffset? NextDue)> DueOrNextAsync(
        DateTimeOffset now, int perPeer, Func<string, int, bool> backNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backNow);
        var due = new List<(FederationPeer, List<OutboxMessage>)>();
        DateTimeOffset? next = null;
        foreach (var peer in await db.Set<FederationPeer>().AsNoTracking().Where(p => p.Status == PeerStatuses.Active).ToListAsync(cancellationToken))
        {
            var first = await FirstPendingAsync(peer.Id, cancellationToken);
            if (first is null || (first.NextAttemptAt > now && !backNow(peer.Fingerprint, first.Attempts)))
            {
                next = first is not null && (next is null || first.NextAttemptAt < next) ? first.NextAttemptAt : next;
                continue;
            }

            var pending = await db.Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.PeerId == peer.Id && m.Status == DeliveryStatuses.Pending)
                .OrderBy(m => m.Sequence).Take(perPeer).ToListAsync(cancellationToken);
            if (pending.Count > 0)
            {
                due.Add((peer, pending));
            }
        }

        return (due, due.Count == 0 ? next : null);
    }

    /// <summary>
    /// When the next pending message falls due, or null when none waits: the earliest first-in-line of the active peers
    /// (per-peer order keeps every message behind the first one waiting for it, whatever its own time says; counting
    /// theirs made a peer in back-off look due at once, and delivery spun while the peer was down).
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        foreach (var peerId in await db.Set<FederationPeer>().AsNoTracking().Where(p => p.Status == PeerStatuses.Active).Select(p => p.Id).ToListAsync(cancellationToken))
        {
            if (await FirstPendingAsync(peerId, cancellationToken) is { } first && (next is null || first.NextAttemptAt < next))
            {
                next = first.NextAttemptAt;
            }
        }

        return next;
    }

    /// <summary>A peer's first pending message (when it is due and how often it was tried), without its envelope.</summary>
    private async Task<PendingHead?> FirstPendingAsync(Guid peerId, CancellationToken cancellationToken) =>
        await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.PeerId == peerId && m.Status == DeliveryStatuses.Pending)
            .OrderBy(m => m.Sequence).Select(m => new PendingHead(m.NextAttemptAt, m.Attempts)).FirstOrDefaultAsync(cancellationToken);

    private sealed record PendingHead(DateTimeOffset NextAttemptAt, int Attempts);

    /// <summary>Records the peer's signed acknowledgement of a message (or its refusal), audited with the message's digest.</summary>
    public Task RecordAnswerAsync(OutboxMessage message, PeerAnswer ack, string peerName, CancellationToken cancellationToken) =>
        RecordAnswersAsync([(message, ack)], peerName, cancellationToken);

    /// <summary>A failed attempt (network, TLS, a peer that did not answer with a signed acknowledgement): retried after a back-off, not audited.</summary>
    public async Task RecordFailureAsync(Guid messageId, string error, CancellationToken cancellationToken)
    {
        var tracked = await db.Set<OutboxMessage>().FirstAsync(m => m.Id == messageId, cancellationToken);
        tracked.Attempts++;
        tracked.LastError = Clip(error);
        tracked.NextAttemptAt = time.GetUtcNow() + Backoff(tracked.Attempts);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The latest outbox and inbox messages (newest first), for administrators; the read is audited.</summary>
    public async Task<(List<OutboxMessage> Sent, List<InboxMessage> Received)> MessagesAsync(AuditEvent reader, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sent = await db.Set<OutboxMessage>().AsNoTracking().OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Sequence).Take(limit).ToListAsync(cancellationToken);
        var received = await db.Set<InboxMessage>().AsNoTracking().OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Sequence).Take(limit).ToListAsync(cancellationToken);
        await audit.AppendAsync(reader with { Action = AuditActions.FederationMessageList, Detail = $"{sent.Count} sent, {received.Count} received" });
        return (sent, received);
    }

    public Task<InboxMessage?> FindReceivedAsync(Guid id, CancellationToken cancellationToken) =>
        CompiledFederationReads.ReceivedAsync(db, id, cancellationToken);

    /// <summary>A tracked agreement by id, whoever its parties are: for applying a peer's message (the policy decides first).</summary>
    public Task<SharingAgreement?> FindAgreementAsync(AgreementId id, CancellationToken cancellationToken) =>
        CompiledFederationReads.AgreementAsync(db, id, cancellationToken);

    public void AddAgreement(SharingAgreement agreement) => db.Agreements.Add(agreement);

    /// <summary>The entities a record mentions (its own assertions, for the bundle of a release the policy allowed).</summary>
    public Task<List<Domain.Entities.Entity>> EntitiesOfAsync(Domain.Records.Record record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ids = record.Mentions.Select(m => m.EntityId).ToList();
        return db.Entities.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync(cancellationToken);
    }

    /// <summary>A tracked consent request by id: for applying a peer's decision (the policy decides first).</summary>
    public Task<ConsentRequest?> FindConsentAsync(ConsentId id, CancellationToken cancellationToken) =>
        db.ConsentRequests.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    public void AddConsent(ConsentRequest consent) => db.ConsentRequests.Add(consent);

    /// <summary>A tracked record by id, whoever holds it: for applying a peer's recall (the policy decides first).</summary>
    public Task<Domain.Records.Record?> FindRecordAsync(RecordId id, CancellationToken cancellationToken) =>
        db.Records.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    public void RemoveRecord(Domain.Records.Record record) => db.Records.Remove(record);

    /// <summary>Whether a record with this id exists here (a release copy received before).</summary>
    public Task<bool> RecordExistsAsync(RecordId id, CancellationToken cancellationToken) => db.Records.AnyAsync(r => r.Id == id, cancellationToken);

    /// <summary>Stages a release copy received from a peer and the entities read from its bundle (unsaved).</summary>
    public void AddReceivedCopy(Domain.Records.Record copy, IReadOnlyList<Domain.Entities.Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(entities);
        db.Entities.AddRange(entities);
        db.Records.Add(copy);
        db.Entry(copy).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = Records.SearchText.Of(copy, entities);
    }

    public Task<bool> IsOwnAgencyAsync(AgencyId id, CancellationToken cancellationToken) =>
        CompiledFederationReads.IsOwnAgencyAsync(db, id, cancellationToken);

    /// <summary>
    /// The sequence of the last message from <paramref name="peerId"/> taken here (applied or rejected): the inbox's
    /// highest, unique per peer, so two processes can never both take the same sequence, and receiving never writes the
    /// peer row that senders update (they would conflict on its concurrency token).
    /// </summary>
    public async Task<long> LastSequenceInAsync(Guid peerId, CancellationToken cancellationToken) =>
        await db.Set<InboxMessage>().Where(m => m.PeerId == peerId).MaxAsync(m => (long?)m.Sequence, cancellationToken) ?? 0;

    /// <summary>
    /// Records an applied message in the inbox with the acknowledgement signed for it (which moves the peer's sequence
    /// on) and commits it with whatever the message changed (staged on this context) and the audit events, in one transaction.
    /// </summary>
    public Task SaveReceivedAsync(FederationPeer peer, InboxMessage received, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(received);
        received.PeerId = peer.Id;
        received.ReceivedAt = time.GetUtcNow();
        db.Add(received);
        return audit.SaveWithAuditAsync(db, events, cancellationToken);
    }

    /// <summary>This node's fingerprint (or a 409 when federation is not set up).</summary>
    public string OwnFingerprint => identity.Require().Fingerprint;

    /// <summary>Forgets changes staged on this context (a message that failed to apply leaves nothing behind).</summary>
    public void Discard() => db.ChangeTracker.Clear();

    /// <summary>Audits a refused or duplicate message (nothing else is written).</summary>
    public Task AuditAsync(AuditEvent auditEvent) => audit.AppendAsync(auditEvent);

    /// <summary>The short node id shown to people: the first 16 hex digits of a fingerprint.</summary>
    public static string ShortId(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return fingerprint[..Math.Min(16, fingerprint.Length)];
    }

    /// <summary>How long after its <paramref name="attempts"/>-th failed attempt a message is tried again.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var wait = FirstRetry * Math.Pow(2, Math.Min(attempts - 1, 20));
        return wait < LongestRetry ? wait : LongestRetry;
    }

    private static string Clip(string text) => text.Length <= 2000 ? text : text[..2000];
}

/// <summary>A signed envelope ready for the outbox: its id, JSON form and payload digest.</summary>
public sealed record SealedMessage(Guid Id, string Envelope, string PayloadDigest);

/// <summary>
/// A peer's signed answer to one message, already checked: <paramref name="Delivered"/> (applied, or applied before);
/// otherwise refused, and <paramref name="Final"/> when retrying cannot help (expired).
/// </summary>
public sealed record PeerAnswer(bool Delivered, bool Final, string Status, string? Reason, string Json);
