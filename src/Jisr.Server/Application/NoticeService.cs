using Jisr.Storage.Notices;

namespace Jisr.Server.Application;

/// <summary>
/// Notices: typed alerts about a person or an event, issued to partner agencies. Every new or changed notice passes
/// the neutrality screen; a flagged one is held until the issuer's legal reviewer clears or refuses it. Recipients
/// see a notice once issued, and see its cancellation.
/// </summary>
public sealed class NoticeService(NoticeStore store, EntityStore entities, AgreementStore agreements, AccountService accounts, Federation.NoticeFederation federation, TimeProvider time)
{
    public Task<List<Notice>> ListAsync(Principal caller, CancellationToken cancellationToken) => store.ListAsync(caller, cancellationToken);

    public async Task<Outcome<Notice>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        Change.Found(await store.ReadAsync(caller, new NoticeId(id), cancellationToken), $"notice {id}");

    public async Task<Outcome<Notice>> IssueAsync(Principal caller, NoticeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refusal.Of(AccessPolicy.CanIssueNotices(caller, caller.AgencyId), "notices") is { } refused)
        {
            return refused;
        }

        var color = Notice.Colors.Parse(request.Color, "color");
        var subjectId = await SubjectAsync(caller, request.Subject, cancellationToken);
        var domain = RecordVocabulary.ThreatDomains.Parse(request.ThreatDomain, "threatDomain");
        var now = time.GetUtcNow();
        var inForce = await agreements.InForceAsync(caller, AccessPolicy.Today(now), cancellationToken);
        var recipientIds = new List<AgencyId>();
        if (request.AllPartners == true)
        {
            // "All partners" is resolved now: the agencies whose agreement in force with the issuer covers the threat domain.
            recipientIds.AddRange(inForce.Select(a => a.Counterpart(caller.AgencyId)).Distinct()
                .Where(partner => AccessPolicy.CanSendNotice(caller.AgencyId, partner, domain, inForce, now).IsAllowed));
            Guard.That(recipientIds.Count > 0, "allPartners", ValidationCodes.NoPartnerCovers, $"no partner agency has an agreement in force with yours that covers {RecordVocabulary.ThreatDomains[domain]}", RecordVocabulary.ThreatDomains[domain]);
        }

        var codes = request.Recipients ?? [];
        for (var i = 0; i < codes.Count; i++)
        {
            var agency = await accounts.FindAgencyAsync(codes[i] ?? string.Empty, cancellationToken)
                ?? throw DomainValidationException.Coded($"recipients[{i}]", ValidationCodes.NoSuchAgency, $"no agency '{codes[i]}' is registered on this node", codes[i] ?? string.Empty);
            var sendable = AccessPolicy.CanSendNotice(caller.AgencyId, agency.Id, domain, inForce, now);
            Guard.That(sendable.IsAllowed, $"recipients[{i}]", ValidationCodes.RecipientNotPartner, $"{agency.Code} {sendable.Reason}", agency.Code);
            recipientIds.Add(agency.Id);
        }

        var notice = Notice.Create(
            caller.AgencyId, caller.UserId, color, subjectId, request.Title, request.Summary, request.Offence, domain, recipientIds,
            NeutralityScreen.Screen(domain, request.Offence, request.Title, request.Summary), now);
        // Recipients hosted by peer nodes get it as a message committed with it (unless the screen holds it).
        var sent = await federation.StageAsync(caller, notice, null, cancellationToken);
        await store.AddAsync(caller, notice, sent, cancellationToken);
        Notify(sent);
        return notice;
    }

    /// <summary>
    /// An update reaches the notice's recipients again: each must still be a partner whose agreement covers the threat
    /// domain. What the notice is about (its colour and its subject) never changes: that is a new notice.
    /// </summary>
    public async Task<Outcome<Notice>> UpdateAsync(Principal caller, Guid id, NoticeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var inForce = await agreements.InForceAsync(caller, AccessPolicy.Today(now), cancellationToken);
        var found = await store.FindAsync(caller, new NoticeId(id), cancellationToken);
        var before = found?.Status;
        return await Change.ApplyAsync(
            found,
            $"notice {id}",
            n => AccessPolicy.CanChangeNotice(caller, n, NoticeChange.Update),
            n => Update(n, request, inForce, caller, now),
            async n => Notify(await SaveAsync(caller, n, AuditActions.NoticeUpdate, before, cancellationToken)));
    }

    public async Task<Outcome<Notice>> ChangeStatusAsync(Principal caller, Guid id, NoticeChange change, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await store.FindAsync(caller, new NoticeId(id), cancellationToken);
        var before = found?.Status;
        return await Change.ApplyAsync(
            found,
            $"notice {id}",
            n => AccessPolicy.CanChangeNotice(caller, n, change),
            n =>
            {
                switch (change)
                {
                    case NoticeChange.Cancel: n.Cancel(reason, now); break;
                    case NoticeChange.Clear: n.Clear(reason, now); break;
                    case NoticeChange.Refuse: n.Refuse(reason, now); break;
                    case NoticeChange.Update: throw new ArgumentOutOfRangeException(nameof(change), change, "an update carries a whole notice: use UpdateAsync");
                }
            },
            async n => Notify(await SaveAsync(caller, n, change switch
            {
                NoticeChange.Cancel => AuditActions.NoticeCancel,
                NoticeChange.Clear => AuditActions.NoticeClear,
                _ => AuditActions.NoticeRefuse,
            }, before, cancellationToken)));
    }

    /// <summary>Saves a change with the messages that tell recipients on peer nodes (staged in the same transaction).</summary>
    private async Task<List<AuditEvent>> SaveAsync(Principal caller, Notice notice, string action, NoticeStatus? before, CancellationToken cancellationToken)
    {
        var sent = await federation.StageAsync(caller, notice, before, cancellationToken);
        await store.SaveAsync(caller, notice, action, sent, cancellationToken);
        return sent;
    }

    private void Notify(List<AuditEvent> sent)
    {
        if (sent.Count > 0)
        {
            federation.Notify();
        }
    }

    /// <summary>The subject: a person or an event the caller may read and that their agency describes itself (the partner-entity rule).</summary>
    private async Task<EntityId> SubjectAsync(Principal caller, Guid? requested, CancellationToken cancellationToken)
    {
        const string Expected = "must be the id of a person or an event of your agency";
        var subjectId = requested is { } given ? new EntityId(given) : throw DomainValidationException.Coded("subject", ValidationCodes.NoticeSubject, "a notice needs a subject: the id of a person or an event of your agency");
        var subjects = await entities.ReadableByIdAsync(caller, [subjectId], cancellationToken);
        if (!subjects.TryGetValue(subjectId, out var subject) || subject.Type is not (EntityType.Person or EntityType.Event))
        {
            throw DomainValidationException.Coded("subject", ValidationCodes.NoticeSubject, Expected);
        }

        var referable = AccessPolicy.CanReferToEntity(caller.AgencyId, subject);
        Guard.That(referable.IsAllowed, "subject", referable.Reason is null ? ValidationCodes.NoticeSubject : ValidationCodes.PartnerEntity, referable.Reason ?? Expected);
        return subjectId;
    }

    private static void Update(Notice notice, NoticeRequest request, IReadOnlyList<SharingAgreement> inForce, Principal caller, DateTimeOffset now)
    {
        // The colour is what the notice asks of its recipients (arrest, locate, beware): an update may restate it, never change it.
        if (request.Color is not null)
        {
            var color = Notice.Colors.Parse(request.Color, "color");
            Guard.That(color == notice.Color, "color", ValidationCodes.NoticeColourFixed, $"a {Notice.Colors[notice.Color]} notice cannot become {Notice.Colors[color]}; cancel it and issue a new notice");
        }

        Guard.That(request.Subject is null || request.Subject == notice.SubjectEntityId.Value, "subject", ValidationCodes.NoticeSubjectFixed, "a notice's subject cannot change; cancel it and issue a new notice about the other person or event");
        var domain = RecordVocabulary.ThreatDomains.Parse(request.ThreatDomain, "threatDomain");
        foreach (var recipient in notice.Recipients)
        {
            var sendable = AccessPolicy.CanSendNotice(caller.AgencyId, recipient.AgencyId, domain, inForce, now);
            Guard.That(sendable.IsAllowed, "threatDomain", ValidationCodes.NoticeRecipientDomain, $"a recipient of this notice {sendable.Reason}; cancel it and issue a new one to the partners that may receive it");
        }

        notice.Update(request.Title, request.Summary, request.Offence, domain, NeutralityScreen.Screen(domain, request.Offence, request.Title, request.Summary), now);
    }
}
