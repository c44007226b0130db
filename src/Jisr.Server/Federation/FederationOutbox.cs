using Jisr.Exchange.Stix.Export;

namespace Jisr.Server.Federation;

/// <summary>
/// Writes messages to peers: signs the envelope and stages it on the request's database context, so the caller's
/// audited save commits it with the change that causes it (the transactional outbox); after the commit,
/// <see cref="Notify"/> wakes the delivery service.
/// </summary>
public sealed class FederationOutbox(FederationStore store, NodeIdentity identity, OutboxSignal signal)
{
    /// <summary>
    /// Stages <paramref name="payload"/> of <paramref name="type"/> for the node hosting <paramref name="agencyId"/>;
    /// null when that agency is hosted here (nothing to send), else the audit event the save must carry.
    /// </summary>
    public async Task<AuditEvent?> StageForAsync<T>(AgencyId agencyId, string type, T payload, AuditEvent actor, CancellationToken cancellationToken)
    {
        var peer = await store.PeerOfAgencyAsync(agencyId, cancellationToken);
        if (peer is null)
        {
            return null;
        }

        var key = identity.Require();
        var json = FederationJson.Write(payload);
        return store.Stage(peer, type, actor, (sequence, now) =>
        {
            var envelope = FederationEnvelope.Create(key.Key, key.Fingerprint, Guid.CreateVersion7(now), type, peer.Fingerprint, sequence, now, EnvelopeCheck.Lifetime, json);
            return new SealedMessage(envelope.Id, FederationJson.Write(envelope), envelope.PayloadDigest);
        });
    }

    /// <summary>
    /// For a release to an agency hosted by a peer node: the record as a STIX bundle with its provenance, staged for
    /// that node, and the id its copy will have there; null for a recipient hosted here.
    /// </summary>
    public async Task<RemoteDelivery?> StageReleaseAsync(Principal caller, Release release, Record source, Agency originator, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(source);
        if (await store.PeerOfAgencyAsync(release.RecipientAgencyId, cancellationToken) is null)
        {
            return null;
        }

        var copyId = RecordId.New(now);
        var entities = await store.EntitiesOfAsync(source, cancellationToken);
        var delivery = new ReleaseDelivery(
            release.Id.Value,
            release.AgreementId.Value,
            copyId.Value,
            source.Id.Value,
            (source.Provenance?.OriginalRecordId ?? source.Id).Value,
            source.OriginatorAgencyId.Value,
            release.ReleasingAgencyId.Value,
            release.RecipientAgencyId.Value,
            source.AuthorUserId.Value,
            source.CreatedAt,
            release.RequestedBy.Value,
            now,
            [.. release.RecipientUserIds.Select(u => u.Value)],
            await BundleAsync(source, originator, entities, cancellationToken),
            release.RecipientUserNames,
            await OnwardConsentAsync(release, source, originator, cancellationToken));
        var sent = await StageForAsync(release.RecipientAgencyId, FederationMessageTypes.ReleaseDeliver, delivery, new AuditEvent("", caller.UserId, caller.UserName, caller.AgencyId), cancellationToken);
        return new RemoteDelivery(copyId, [sent!]);
    }

    /// <summary>
    /// For a copy received from another node and passed on: the originator node's signed grant, as it came, with
    /// that node's pinned key, so that a third node not peered with the originator checks the consent itself (null when
    /// the releasing agency is the originator, or the originator is hosted here).
    /// </summary>
    private async Task<OnwardConsent?> OnwardConsentAsync(Release release, Record source, Agency originator, CancellationToken cancellationToken)
    {
        if (source.OriginatorAgencyId == release.ReleasingAgencyId || await store.PeerOfAgencyAsync(source.OriginatorAgencyId, cancellationToken) is not { } origin)
        {
            return null;
        }

        var decision = await store.ConsentDecisionEnvelopeAsync(origin.Id, source.Id, release.RecipientAgencyId, FederationMessageTypes.ConsentDecision, cancellationToken);
        return decision is null
            ? null
            : new OnwardConsent(new NodeAgency(originator.Id.Value, originator.Code, originator.Name, originator.Country), Convert.ToBase64String(origin.PublicKey), decision);
    }

    /// <summary>
    /// The record as the agency export writes it (report, entities, relationships, markings, Jisr's extension): the
    /// form the STIX importer reads back without loss (classification, handling code, grading, legal basis...).
    /// </summary>
    private static async Task<System.Text.Json.Nodes.JsonObject> BundleAsync(Record source, Agency originator, IReadOnlyList<Domain.Entities.Entity> entities, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await StixAgencyExport.WriteAsync(
            buffer,
            new StixExportInput(originator, [source], entities.ToDictionary(e => e.Id), new Dictionary<Guid, string>(), AsyncEnumerable.Empty<Domain.Exchange.ReceivedStixObject>()),
            cancellationToken);
        return System.Text.Json.Nodes.JsonNode.Parse(buffer.ToArray())!.AsObject();
    }

    /// <summary>
    /// The third agency of a consent request, described for the originator's node when another peer node hosts it
    /// (the originator's node may not be peered with that one); null when the originator's node knows it anyway.
    /// </summary>
    public async Task<RelayedAgency?> RelayedTargetAsync(AgencyId target, AgencyId originator, CancellationToken cancellationToken)
    {
        var host = await store.PeerOfAgencyAsync(target, cancellationToken);
        if (host is null || host.Id == (await store.PeerOfAgencyAsync(originator, cancellationToken))?.Id || await store.AgencyAsync(target, cancellationToken) is not { } agency)
        {
            return null;
        }

        return new RelayedAgency(new NodeAgency(agency.Id.Value, agency.Code, agency.Name, agency.Country), Convert.ToBase64String(host.PublicKey));
    }

    /// <summary>Whether <paramref name="agencyId"/> is hosted by a peer node (its users are known there, not here).</summary>
    public async Task<bool> IsRemoteAsync(AgencyId agencyId, CancellationToken cancellationToken) =>
        await store.PeerOfAgencyAsync(agencyId, cancellationToken) is not null;

    /// <summary>Wakes the delivery service (call after the save that committed staged messages).</summary>
    public void Notify() => signal.Notify();

    /// <summary>Wakes the delivery service when the save just made staged a message: <paramref name="staged"/> is its audit event, null when nothing was staged (a partner hosted here).</summary>
    public void NotifyIfStaged(AuditEvent? staged)
    {
        if (staged is not null)
        {
            Notify();
        }
    }
}

/// <summary>How writers wake the delivery service without it polling fast.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every message written before it.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
