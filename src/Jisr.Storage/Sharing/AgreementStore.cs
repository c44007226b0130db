namespace Jisr.Storage.Sharing;

/// <summary>Sharing agreements: every query starts from what the caller's agency may see; every change is audited with it.</summary>
public sealed class AgreementStore(JisrDbContext db, AuditLog audit)
{
    public async Task<List<SharingAgreement>> ListAsync(Principal principal, CancellationToken cancellationToken)
    {
        var agreements = await db.Agreements.AsNoTracking().Where(AccessPolicy.VisibleAgreements(principal)).OrderByDescending(a => a.ProposedAt).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.AgreementList, detail: $"{agreements.Count} agreements"));
        return agreements;
    }

    /// <summary>An agreement the caller's agency is party to, to show, or null; the read is audited either way.</summary>
    public async Task<SharingAgreement?> ReadAsync(Principal principal, AgreementId id, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().Where(AccessPolicy.VisibleAgreements(principal)).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.AgreementRead, AuditTargets.Agreement, id.ToString(), agreement is not null));
        return agreement;
    }

    /// <summary>The caller's agency's agreements in force on <paramref name="today"/>.</summary>
    public Task<List<SharingAgreement>> InForceAsync(Principal principal, DateOnly today, CancellationToken cancellationToken) =>
        InForce(principal, today).AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>The caller's agency's agreements in force with <paramref name="partnerId"/> (tracked: a release copy refers to one).</summary>
    public Task<List<SharingAgreement>> InForceWithAsync(Principal principal, AgencyId partnerId, DateOnly today, CancellationToken cancellationToken) =>
        InForce(principal, today).Where(a => a.ProposerAgencyId == partnerId || a.PartnerAgencyId == partnerId)
            .OrderBy(a => a.ProposedAt).ToListAsync(cancellationToken);

    private IQueryable<SharingAgreement> InForce(Principal principal, DateOnly today) =>
        db.Agreements.Where(AccessPolicy.VisibleAgreements(principal)).Where(PolicyExpressions.Bind(SharingAgreement.InForceRule, today));

    /// <summary>A tracked agreement the caller's agency is party to, or null (missing and foreign look the same).</summary>
    public Task<SharingAgreement?> FindAsync(Principal principal, AgreementId id, CancellationToken cancellationToken) =>
        db.Agreements.Where(AccessPolicy.VisibleAgreements(principal)).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    public Task AddAsync(Principal principal, SharingAgreement agreement, CancellationToken cancellationToken) =>
        AddAsync(principal, agreement, [], cancellationToken);

    /// <summary>Adds an agreement; <paramref name="alsoAudited"/> are events of what was staged with it (a message to a peer node), committed together.</summary>
    public async Task AddAsync(Principal principal, SharingAgreement agreement, IReadOnlyList<AuditEvent> alsoAudited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alsoAudited);
        db.Agreements.Add(agreement);
        await audit.SaveWithAuditAsync(db, [Event(principal, AuditActions.AgreementPropose, agreement), .. alsoAudited], cancellationToken);
    }

    /// <summary>Saves a change made to an agreement from <see cref="FindAsync"/> (accept, suspend, resume, end).</summary>
    public Task SaveAsync(Principal principal, SharingAgreement agreement, string action, CancellationToken cancellationToken) =>
        SaveAsync(principal, agreement, action, [], cancellationToken);

    /// <summary>Saves a change with the events of what was staged with it (a message to a peer node), in one transaction.</summary>
    public Task SaveAsync(Principal principal, SharingAgreement agreement, string action, IReadOnlyList<AuditEvent> alsoAudited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alsoAudited);
        return audit.SaveWithAuditAsync(db, [Event(principal, action, agreement), .. alsoAudited], cancellationToken);
    }

    private static AuditEvent Event(Principal principal, string action, SharingAgreement agreement) =>
        new(action, principal.UserId, principal.UserName, principal.AgencyId, AuditTargets.Agreement, agreement.Id.ToString(),
            Detail: $"status={SharingAgreement.StatusNames[agreement.Status]}");
}
