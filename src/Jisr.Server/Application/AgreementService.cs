namespace Jisr.Server.Application;

/// <summary>
/// Sharing agreements between the caller's agency and a partner: proposed by one agency's administrator, in force
/// once the partner's administrator accepts; either party's administrators can suspend, resume or end it.
/// </summary>
public sealed class AgreementService(AgreementStore store, AccountService accounts, Federation.FederationOutbox outbox, TimeProvider time)
{
    public Task<List<SharingAgreement>> ListAsync(Principal caller, CancellationToken cancellationToken) =>
        store.ListAsync(caller, cancellationToken);

    public async Task<Outcome<SharingAgreement>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        Change.Found(await store.ReadAsync(caller, new AgreementId(id), cancellationToken), $"agreement {id}");

    public async Task<Outcome<SharingAgreement>> ProposeAsync(Principal caller, AgreementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refusal.Of(AccessPolicy.CanProposeAgreement(caller), "agreements") is { } refused)
        {
            return refused;
        }

        var partnerCode = Guard.Text(request.Partner, "partner", 32);
        var partner = await accounts.FindAgencyAsync(partnerCode, cancellationToken)
            ?? throw DomainValidationException.Coded("partner", ValidationCodes.NoSuchAgency, $"no agency {partnerCode} is registered on this node", partnerCode ?? string.Empty);
        var agreement = SharingAgreement.Propose(
            new SharingTerms(
                caller.AgencyId,
                partner.Id,
                [.. (request.ThreatDomains ?? []).Select((d, i) => RecordVocabulary.ThreatDomains.Parse(d, $"threatDomains[{i}]"))],
                Marking.ClassificationNames.Parse(request.HighestClassification, "highestClassification"),
                [.. (request.HandlingCodes ?? []).Select((h, i) => Marking.HandlingNames.Parse(h, $"handlingCodes[{i}]"))],
                request.ValidFrom ?? throw DomainValidationException.Coded("validFrom", ValidationCodes.Required, "is required (a date such as 2027-01-01)"),
                request.ValidUntil ?? throw DomainValidationException.Coded("validUntil", ValidationCodes.Required, "is required (a date such as 2028-01-01)")),
            caller.UserId,
            time.GetUtcNow());
        // A partner hosted by a peer node gets the proposal as a message committed with it.
        var sent = await outbox.StageForAsync(partner.Id, FederationMessageTypes.AgreementPropose, TermsOf(agreement), Actor(caller), cancellationToken);
        await store.AddAsync(caller, agreement, sent is null ? [] : [sent], cancellationToken);
        outbox.NotifyIfStaged(sent);

        return agreement;
    }

    /// <summary>Accept, suspend, resume or end; suspending, resuming and ending need a <paramref name="reason"/>.</summary>
    public async Task<Outcome<SharingAgreement>> ChangeAsync(Principal caller, Guid id, AgreementAction change, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await Change.ApplyAsync(
            await store.FindAsync(caller, new AgreementId(id), cancellationToken),
            $"agreement {id}",
            agreement => AccessPolicy.CanChangeAgreement(caller, agreement, change),
            agreement =>
            {
                switch (change)
                {
                    case AgreementAction.Accept: agreement.Accept(caller.UserId, now); break;
                    case AgreementAction.Suspend: agreement.Suspend(caller.AgencyId, reason, now); break;
                    case AgreementAction.Resume: agreement.Resume(reason, now); break;
                    case AgreementAction.End: agreement.End(reason, now); break;
                }
            },
            async agreement =>
            {
                // The other party hosted by a peer node learns of the change in the same transaction.
                var sent = await outbox.StageForAsync(
                    agreement.Counterpart(caller.AgencyId),
                    FederationMessageTypes.AgreementChange,
                    new AgreementChangeMessage(agreement.Id.Value, SharingAgreement.ActionNames[change], caller.AgencyId.Value, caller.UserId.Value, reason, now),
                    Actor(caller),
                    cancellationToken);
                await store.SaveAsync(caller, agreement, AuditActionOf(change), sent is null ? [] : [sent], cancellationToken);
                outbox.NotifyIfStaged(sent);
            });
    }

    /// <summary>The terms as they travel to the partner's node.</summary>
    public static AgreementTerms TermsOf(SharingAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return new(
            agreement.Id.Value,
            agreement.ProposerAgencyId.Value,
            agreement.PartnerAgencyId.Value,
            [.. agreement.ThreatDomains.Select(d => RecordVocabulary.ThreatDomains[d])],
            Marking.ClassificationNames[agreement.HighestClassification],
            [.. agreement.HandlingCodes.Select(h => Marking.HandlingNames[h])],
            agreement.ValidFrom,
            agreement.ValidUntil,
            agreement.ProposedBy.Value,
            agreement.ProposedAt);
    }

    private static AuditEvent Actor(Principal caller) => new("", caller.UserId, caller.UserName, caller.AgencyId);

    internal static string AuditActionOf(AgreementAction change) => change switch
    {
        AgreementAction.Accept => AuditActions.AgreementAccept,
        AgreementAction.Suspend => AuditActions.AgreementSuspend,
        AgreementAction.Resume => AuditActions.AgreementResume,
        AgreementAction.End => AuditActions.AgreementEnd,
    };
}
