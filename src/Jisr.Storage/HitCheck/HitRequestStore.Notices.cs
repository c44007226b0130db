namespace Jisr.Storage.HitCheck;

/// <summary>Hit notices on the owner's node: staged on receipt (committed with the inbox row), listed and counted for the owner agency.</summary>
public sealed partial class HitRequestStore
{
    /// <summary>Stages a notice received from a peer (unsaved: the receiver commits it with the inbox row and its audit entry).</summary>
    public void StageNotice(HitNotice notice) => db.Add(notice);

    public async Task<bool> NoticeExistsAsync(Guid id, CancellationToken cancellationToken) =>
        db.ChangeTracker.Entries<HitNotice>().Any(e => e.State == EntityState.Added && e.Entity.Id == id) || await db.Set<HitNotice>().AnyAsync(n => n.Id == id, cancellationToken);

    /// <summary>
    /// The caller agency's hit notices, newest first, <paramref name="limit"/> (at most <see cref="MaxListSize"/>) after
    /// the first <paramref name="offset"/>; audited as a list.
    /// </summary>
    public async Task<List<HitNotice>> NoticesForOwnerAsync(Principal principal, int offset, int limit, CancellationToken cancellationToken)
    {
        var agency = principal.AgencyId.Value;
        var notices = await db.Set<HitNotice>().AsNoTracking().Where(n => n.OwnerAgencyId == agency)
            .OrderByDescending(n => n.ReceivedAt).ThenByDescending(n => n.Id).Skip(offset).Take(Math.Clamp(limit, 1, MaxListSize)).ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditEvent.Read(principal, AuditActions.HitNoticeList, detail: $"{notices.Count} hit notices to agency {agency:D} from {offset}"));
        return notices;
    }

    /// <summary>
    /// How many notice rows from <paramref name="requester"/> to <paramref name="owner"/> under <paramref name="agreement"/>
    /// arrived since <paramref name="since"/>: those saved, and those staged on this context (a run of messages commits once).
    /// </summary>
    public async Task<int> CountNoticesSinceAsync(Guid agreement, Guid requester, Guid owner, DateTimeOffset since, CancellationToken cancellationToken) =>
        await db.Set<HitNotice>().CountAsync(n => n.AgreementId == agreement && n.RequesterAgencyId == requester && n.OwnerAgencyId == owner && n.ReceivedAt >= since, cancellationToken)
        + Staged(agreement, requester, owner).Count(n => n.ReceivedAt >= since);

    /// <summary>The latest notice row of that pair and agreement, tracked (further hits over the notice rate are counted on it): one staged on this context first.</summary>
    public async Task<HitNotice?> LatestNoticeAsync(Guid agreement, Guid requester, Guid owner, CancellationToken cancellationToken) =>
        Staged(agreement, requester, owner).LastOrDefault()
        ?? await db.Set<HitNotice>().Where(n => n.AgreementId == agreement && n.RequesterAgencyId == requester && n.OwnerAgencyId == owner)
            .OrderByDescending(n => n.ReceivedAt).ThenByDescending(n => n.Id).FirstOrDefaultAsync(cancellationToken);

    private List<HitNotice> Staged(Guid agreement, Guid requester, Guid owner) =>
        [.. db.ChangeTracker.Entries<HitNotice>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .Where(n => n.AgreementId == agreement && n.RequesterAgencyId == requester && n.OwnerAgencyId == owner)];

    /// <summary>The caller agency's hit notices per requester agency and agreement (read with the request tally, which audits the read).</summary>
    public async Task<List<HitNoticeTally>> NoticeTallyForOwnerAsync(Principal principal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agency = principal.AgencyId.Value;
        var rows = await db.Set<HitNotice>().AsNoTracking().Where(n => n.OwnerAgencyId == agency)
            .Select(n => new { n.RequesterAgencyId, n.AgreementId, n.ReceivedAt, n.Hits, LastAt = n.LastReceivedAt ?? n.ReceivedAt })
            .ToListAsync(cancellationToken);
        var dayAgo = now.AddDays(-1);
        return [.. rows.GroupBy(r => (r.RequesterAgencyId, r.AgreementId))
            .Select(g => new HitNoticeTally(new AgencyId(g.Key.RequesterAgencyId), new AgreementId(g.Key.AgreementId), g.Sum(r => r.Hits), g.Where(r => r.LastAt >= dayAgo).Sum(r => r.Hits), g.Max(r => r.LastAt)))];
    }
}
