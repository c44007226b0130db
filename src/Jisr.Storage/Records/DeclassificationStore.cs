namespace Jisr.Storage.Records;

/// <summary>
/// Declassification requests: changes that lower a record's marking, held for a legal reviewer. Lists and reads
/// start from the policy's filter (<see cref="AccessPolicy.ShownDeclassifications"/>); an approval saves the record's
/// change, the decision and their audit entries in one transaction.
/// </summary>
public sealed class DeclassificationStore(JisrDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MaxListSize = 500;

    public async Task<List<Declassification>> ListAsync(Principal principal, DeclassificationStatus? status, RecordId? recordId, CancellationToken cancellationToken)
    {
        var query = Shown(principal);
        if (status is { } s)
        {
            query = query.Where(d => d.Status == s);
        }

        if (recordId is { } id)
        {
            query = query.Where(d => d.RecordId == id);
        }

        var found = await query.OrderByDescending(d => d.RequestedAt).Take(MaxListSize).ToListAsync(cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.DeclassificationList, null, AuditOutcomes.Success, detail: $"{found.Count} declassifications"));
        return found;
    }

    /// <summary>A declassification to show the caller, or null; the read is audited either way.</summary>
    public async Task<Declassification?> ReadAsync(Principal principal, DeclassificationId id, CancellationToken cancellationToken)
    {
        var found = await Shown(principal).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        await audit.AppendAsync(CallerEvents.For(principal, AuditActions.DeclassificationRead, null, found is null ? AuditOutcomes.NotFound : AuditOutcomes.Success,
            targetType: AuditTargets.Declassification, targetId: id.ToString()));
        return found;
    }

    /// <summary>A tracked declassification of the caller's agency, for deciding (the policy decides who may), or null.</summary>
    public Task<Declassification?> FindAsync(Principal principal, DeclassificationId id, CancellationToken cancellationToken) =>
        db.Declassifications.FirstOrDefaultAsync(d => d.Id == id && d.AgencyId == principal.AgencyId, cancellationToken);

    public Task AddAsync(Principal principal, Declassification declassification, CancellationToken cancellationToken)
    {
        db.Declassifications.Add(declassification);
        return audit.SaveWithAuditAsync(db, Event(principal, AuditActions.DeclassificationRequest, declassification), cancellationToken);
    }

    /// <summary>An approval: the record (from <see cref="RecordStore.FindForUpdateAsync"/>) was changed as proposed; it is saved with the decision.</summary>
    public async Task ApproveAsync(Principal principal, Declassification declassification, Record record, IReadOnlyList<Entity> newEntities, IReadOnlyList<Entity> allEntities, CancellationToken cancellationToken)
    {
        db.Entities.AddRange(newEntities);
        db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, allEntities);
        await audit.SaveWithAuditAsync(db,
            [
                Event(principal, AuditActions.DeclassificationApprove, declassification),
                CallerEvents.For(principal, AuditActions.RecordUpdate, record.Id, AuditOutcomes.Success, detail: $"declassification {declassification.Id:D}"),
            ],
            cancellationToken);
    }

    public Task RefuseAsync(Principal principal, Declassification declassification, CancellationToken cancellationToken) =>
        audit.SaveWithAuditAsync(db, Event(principal, AuditActions.DeclassificationRefuse, declassification), cancellationToken);

    private IQueryable<Declassification> Shown(Principal principal) =>
        db.Declassifications.AsNoTracking().Where(AccessPolicy.ShownDeclassifications(principal, time.GetUtcNow(), db.Records, db.Agreements));

    private static AuditEvent Event(Principal principal, string action, Declassification declassification) =>
        CallerEvents.For(principal, action, null, AuditOutcomes.Success,
            detail: $"record {declassification.RecordId:D} version {declassification.RecordVersion}; {declassification.CurrentMarking} -> {declassification.ProposedMarking}"
                    + (declassification.WidensRecipients ? "; adds TLP:RED recipients" : string.Empty)
                    + $"; status={Declassification.Statuses[declassification.Status]}",
            targetType: AuditTargets.Declassification, targetId: declassification.Id.ToString());
}
