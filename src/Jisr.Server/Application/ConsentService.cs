namespace Jisr.Server.Application;

/// <summary>
/// The third-party rule: a received record passes on to a third agency only after its originator grants consent.
/// The holder asks; the originator's legal reviewers or liaison officers grant or refuse.
/// </summary>
public sealed class ConsentService(ReleaseStore store, RecordStore records, AgencyNames names, Federation.FederationOutbox outbox, TimeProvider time)
{
    public Task<List<ConsentRequest>> ListAsync(Principal caller, CancellationToken cancellationToken) =>
        store.ListConsentsAsync(caller, cancellationToken);

    public async Task<Outcome<ConsentRequest>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        Change.Found(await store.ReadConsentAsync(caller, new ConsentId(id), cancellationToken), $"consent request {id}");

    public async Task<Outcome<ConsentRequest>> RequestAsync(Principal caller, Guid recordId, ConsentRequestBody request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var record = await records.FindForUpdateAsync(caller, new RecordId(recordId), cancellationToken);
        var decision = record is null ? PolicyDecision.NotVisible : AccessPolicy.CanRequestConsent(caller, record, now);
        if (Refusal.Of(decision, $"record {recordId}") is { } refused)
        {
            return refused;
        }

        var target = await names.PartnerAsync(request.Agency, caller.AgencyId, "agency", cancellationToken);
        var consent = ConsentRequest.Request(record!, target, caller.UserId, request.Note, now);
        if (await store.ConsentOpenOrGrantedAsync(record!.Id, target, cancellationToken))
        {
            return Refusal.Conflict("consent to pass this record on to that agency is already requested or granted");
        }

        // An originator hosted by a peer node decides there: the request travels with its creation.
        var sent = await outbox.StageForAsync(
            consent.OriginatorAgencyId,
            Exchange.Federation.FederationMessageTypes.ConsentRequest,
            new Exchange.Federation.ConsentRequestMessage(
                consent.Id.Value, consent.RecordId.Value, consent.OriginalRecordId.Value, consent.OriginatorAgencyId.Value, consent.RequesterAgencyId.Value,
                consent.TargetAgencyId.Value, consent.RequestedBy.Value, consent.RequestedAt, consent.Note,
                await outbox.RelayedTargetAsync(consent.TargetAgencyId, consent.OriginatorAgencyId, cancellationToken)),
            Actor(caller),
            cancellationToken);
        await store.AddConsentAsync(caller, consent, sent is null ? [] : [sent], cancellationToken);
        outbox.NotifyIfStaged(sent);
        return consent;
    }

    public async Task<Outcome<ConsentRequest>> DecideAsync(Principal caller, Guid id, bool grant, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await Change.ApplyAsync(
            await store.FindConsentAsync(caller, new ConsentId(id), cancellationToken),
            $"consent request {id}",
            consent => AccessPolicy.CanDecideConsent(caller, consent),
            consent =>
            {
                if (grant)
                {
                    consent.Grant(caller.UserId, reason, now);
                }
                else
                {
                    consent.Refuse(caller.UserId, reason, now);
                }
            },
            async consent =>
            {
                // A requester hosted by a peer node learns the decision with its commit.
                var sent = await outbox.StageForAsync(
                    consent.RequesterAgencyId,
                    Exchange.Federation.FederationMessageTypes.ConsentDecision,
                    new Exchange.Federation.ConsentDecisionMessage(
                        consent.Id.Value, grant, caller.AgencyId.Value, caller.UserId.Value, reason, now, consent.OriginalRecordId.Value, consent.RequesterAgencyId.Value, consent.TargetAgencyId.Value),
                    Actor(caller),
                    cancellationToken);
                await store.SaveConsentAsync(caller, consent, grant ? AuditActions.ConsentGrant : AuditActions.ConsentRefuse, sent is null ? [] : [sent], cancellationToken);
                outbox.NotifyIfStaged(sent);
            });
    }

    private static AuditEvent Actor(Principal caller) => new("", caller.UserId, caller.UserName, caller.AgencyId);
}
